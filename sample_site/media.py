"""The sample site's page requisites: real image bytes (JPEG photos, PNG and GIF icons) drawn
here with Pillow, and stylesheets written for this project — what an article page loads besides
its HTML, at the paths people.cn uses (`/NMediaFile/YYYY/MMDD/…jpg` photos on the article's
host, template images and stylesheets under `www.people.com.cn/img/…`).

Deterministic: the same URL always gives the same bytes (drawn from a seed made of the URL), so
ETags and digests are stable. Bytes are made on first request and kept; never read from disk.
"""

from __future__ import annotations

import hashlib
import io
import random
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from PIL import Image, ImageDraw

WWW = "http://www.people.com.cn"
# A photo drawn this big is over the requisite size limit the tests set (a few hundred KB):
# an aerial panorama, fine-grained like a real one, so it compresses badly (~1.5 MB).
LARGE_PHOTOS = {"/NMediaFile/2024/0225/LOCAL202402251819306412.jpg": (2400, 1000)}
PHOTO_SIZE = (600, 400)  # what the templates declare (width="600" height="400")
THUMB_SIZE = (215, 145)  # the 2016 template's 推荐阅读 thumbnails

# Template images: path → (width, height); served on every host (people.cn channels each
# serve /img/), like the real sites' shared template folders.
ICONS = {
    "/img/2020wbc/imgs/logo.png": (180, 50),
    "/img/2020wbc/imgs/icon_type.png": (16, 16),
    "/img/2020wbc/imgs/ewm_rmw.png": (90, 90),
    "/img/2020wbc/imgs/share.png": (20, 20),
    "/img/2020wbc/imgs/icon_download_rmrb.png": (70, 70),
    "/img/2020wbc/imgs/bg_title.png": (8, 40),
    "/img/2016wb/images/icon04.jpg": (29, 23),
    "/img/2016wb/images/line.png": (4, 4),
    "/img/2012wb/images/ewm.jpg": (90, 90),
    "/img/2012wb/images/bg_nav.png": (8, 30),
    "/img/next_b.gif": (60, 24),
    "/img/2020wb/imgs/bg_en.png": (8, 40),
    # the layouts no template reader claims (sample_site/layouts.py)
    "/img/2022tj/logo.png": (200, 50),
    "/img/pd_logo.gif": (300, 60),
    "/img/he2009/logo.gif": (200, 60),
    "/img/tj2008/logo.gif": (180, 50),
}
# Photos a page shows beside the article (图片新闻 boxes), not in it.
SIDEBAR_PHOTOS = {"http://tj.people.com.cn/NMediaFile/2022/0815/LOCAL2022081500001.jpg": (120, 80)}

# Stylesheets (written for this project), each pulling one background image through url().
STYLESHEETS = {
    "/img/2020wbc/css/page202102.css": """/* 2020s article template */
body { margin: 0; font-family: "PingFang SC", "Microsoft YaHei", "WenQuanYi Zen Hei", sans-serif;
       background: #f4f4f4; color: #222; }
.header { background: #c00; height: 50px; }
.layout { width: 1000px; margin: 0 auto; }
.route { padding: 10px 0; font-size: 13px; }
.route a { color: #555; }
.rm_txt { background: #fff url(../imgs/bg_title.png) repeat-x; padding: 24px 32px; }
.rm_txt h1 { font-size: 28px; line-height: 1.4; color: #1a1a1a; margin: 8px 0; }
.rm_txt h3.pre, .rm_txt h4.sub { font-size: 16px; color: #666; font-weight: normal; }
.rm_txt .channel { color: #888; font-size: 13px; border-bottom: 1px solid #ddd; }
.rm_txt_con { font-size: 16px; line-height: 1.9; }
.rm_txt_con p { margin: 1em 0; }
.rm_txt_con img { max-width: 600px; }
.rm_relevant h5 { border-left: 4px solid #c00; padding-left: 8px; }
.rm_footer { color: #888; font-size: 12px; text-align: center; padding: 20px; }
.fr { float: right; }
""",
    "/img/2016wb/page2018.css": """/* 2016 article template */
body { margin: 0; font-family: "SimSun", "WenQuanYi Zen Hei", serif; color: #333; }
.w1000_320 { width: 1000px; margin: 0 auto; }
.path { background: url(images/line.png) repeat-x bottom; padding: 8px 0; }
.text_title h1 { font-size: 26px; text-align: center; color: #000; }
.text_title .box01 { color: #999; font-size: 12px; }
.box_con { font-size: 16px; line-height: 2; }
.box_con p { margin: 0.8em 0; }
.fl { float: left; } .fr { float: right; }
.clearfix::after { content: ""; display: block; clear: both; }
""",
    "/img/2012wb/css/page.css": """/* /n/ article template, 2012-15 */
body { margin: 0; font-family: "SimSun", "WenQuanYi Zen Hei", serif; }
.w1000 { width: 1000px; margin: 0 auto; }
.path { background: url(../images/bg_nav.png) repeat-x; height: 30px; }
.text_c h1 { font-size: 24px; color: #036; }
.show_text { font-size: 15px; line-height: 1.8; }
""",
    "/img/2020wb/css/d2.css": """/* en.people.cn article template */
body { margin: 0; font-family: Georgia, "Times New Roman", serif; color: #222; }
.w860 { width: 860px; margin: 0 auto; }
.d2txtCon { background: url(../imgs/bg_en.png) repeat-x; padding: 20px; }
.d2txtCon h1 { font-size: 30px; color: #b00; }
.d2txtCon .origin { color: #777; font-size: 13px; }
""",
}
STYLESHEET_HOSTS = {"/img/2020wb/css/d2.css": "en.people.cn"}


def _rng(url: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256(url.encode()).digest()[:8], "big"))


def _palette(rng: random.Random) -> tuple[tuple[int, int, int], ...]:
    sky = (rng.randint(90, 160), rng.randint(140, 200), rng.randint(200, 250))
    ground = (rng.randint(60, 140), rng.randint(90, 150), rng.randint(40, 90))
    return sky, ground


def _scene(url: str, size: tuple[int, int]) -> Image.Image:
    """A plausible outdoor scene: sky gradient, sun, buildings, ground. Made from the URL."""
    rng = _rng(url)
    width, height = size
    sky, ground = _palette(rng)
    horizon = int(height * rng.uniform(0.55, 0.7))
    image = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    for y in range(horizon):  # the sky lightens towards the horizon
        t = y / max(1, horizon)
        draw.line([(0, y), (width, y)], fill=tuple(int(c + (255 - c) * t * 0.6) for c in sky))
    r = max(6, height // 12)
    sx, sy = rng.randint(r, width - r), rng.randint(r, horizon // 2 + r)
    draw.ellipse([sx - r, sy - r, sx + r, sy + r], fill=(255, 236, 170))
    draw.rectangle([0, horizon, width, height], fill=ground)
    x = 0
    while x < width:
        w = rng.randint(width // 30 + 4, width // 8 + 8)
        h = rng.randint(height // 10, int(horizon * 0.8))
        shade = rng.randint(120, 220)
        draw.rectangle([x, horizon - h, x + w - 2, horizon], fill=(shade, shade - 10, shade - 25))
        for wy in range(horizon - h + 6, horizon - 6, 12):  # rows of windows
            draw.line([(x + 4, wy), (x + w - 6, wy)], fill=(70, 90, 120), width=3)
        x += w + rng.randint(0, width // 20)
    return image


def _fine_grain(image: Image.Image, url: str) -> Image.Image:
    """Blend in seeded noise: an aerial photo's detail, which JPEG cannot squeeze."""
    rng = _rng(url + "#grain")
    noise = Image.frombytes("RGB", image.size, rng.randbytes(image.size[0] * image.size[1] * 3))
    return Image.blend(image, noise, 0.35)


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=88, optimize=False)
    elif fmt == "GIF":
        image.convert("P", palette=Image.Palette.ADAPTIVE, colors=32).save(out, "GIF")
    else:
        image.save(out, "PNG", optimize=False)
    return out.getvalue()


def _icon(url: str, size: tuple[int, int]) -> Image.Image:
    rng = _rng(url)
    image = Image.new("RGB", size, (200, 16, 16) if "logo" in url else (230, 230, 230))
    draw = ImageDraw.Draw(image)
    w, h = size
    for _ in range(3):
        x0, y0 = rng.randint(0, max(0, w - 2)), rng.randint(0, max(0, h - 2))
        draw.rectangle([x0, y0, min(w - 1, x0 + w // 3 + 1), min(h - 1, y0 + h // 3 + 1)],
                       fill=(rng.randint(0, 255), rng.randint(0, 120), rng.randint(0, 120)))
    return image


FORMATS = {".jpg": ("JPEG", "image/jpeg"), ".png": ("PNG", "image/png"),
           ".gif": ("GIF", "image/gif")}


@lru_cache(maxsize=512)
def image_bytes(url: str, width: int, height: int, kind: str) -> tuple[bytes, str]:
    """(bytes, content type) of the image at `url`: a photo, a thumbnail or an icon."""
    path = urlsplit(url).path
    fmt, content_type = FORMATS[path[path.rfind("."):].lower()]
    if kind == "icon":
        image = _icon(url, (width, height))
    else:
        image = _scene(url, (width, height))
        if path in LARGE_PHOTOS:
            image = _fine_grain(image, url)
    return _encode(image, fmt), content_type


def photo_urls(spec: dict) -> list[str]:
    """Absolute URLs of an article's photos (every page), as its pages show them."""
    paragraphs = [*spec["body"], *(p for page in spec.get("pages", []) for p in page)]
    return [urljoin(spec["url"], p["img"]) for p in paragraphs if isinstance(p, dict)]


def thumbnail_url(host: str, n: int) -> str:
    """The 2016 template's 推荐阅读 thumbnail number n (shared by every article of a host)."""
    return f"http://{host}/NMediaFile/2016/0101/MAIN2016010100000{n}.jpg"


class Media:
    """Every requisite URL the site answers, made on first request."""

    def __init__(self, articles: dict[str, dict]):
        self.photos: dict[str, tuple[int, int]] = dict(SIDEBAR_PHOTOS)
        for spec in articles.values():
            for url in photo_urls(spec):
                self.photos[key(url)] = LARGE_PHOTOS.get(urlsplit(url).path, PHOTO_SIZE)

    def get(self, url: str) -> tuple[bytes, str] | None:
        k = key(url)
        parts = urlsplit(k)
        path = parts.path
        if k in self.photos:
            return image_bytes(k, *self.photos[k], "photo")
        if path.startswith("/NMediaFile/2016/0101/MAIN") and path.endswith(".jpg"):
            return image_bytes(k, *THUMB_SIZE, "thumbnail")
        if path in ICONS:
            return image_bytes(k, *ICONS[path], "icon")
        if path in STYLESHEETS and parts.hostname == STYLESHEET_HOSTS.get(
                path, "www.people.com.cn"):
            return STYLESHEETS[path].encode("utf-8"), "text/css"
        return None


def key(url: str) -> str:
    parts = urlsplit(url)
    return f"http://{(parts.hostname or '').lower()}{parts.path}"
