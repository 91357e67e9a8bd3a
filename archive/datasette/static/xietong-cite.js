// Copy buttons of the article page's cite block (issue 20): a button copies the text of the
// element its data-copy names and says so in the block's status line.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button.xt-copy");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  const status = button.closest(".xt-cite")?.querySelector(".xt-status-message");
  const text = source ? source.textContent.trim() : "";
  let copied = false;
  try {
    await navigator.clipboard.writeText(text);
    copied = true;
  } catch (error) {
    // No clipboard API (a page served over plain HTTP to another host): select the text.
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    copied = document.execCommand && document.execCommand("copy");
  }
  if (status) {
    status.textContent = copied ? "已复制 · Copied" : "已选中，请按 Ctrl+C · Selected: press Ctrl+C";
  }
});
