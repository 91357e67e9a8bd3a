<?xml version="1.0" encoding="UTF-8"?>
<!-- Shows an xietong Atom feed as a page when a browser opens it; feed readers ignore this. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="UTF-8" indent="yes"/>
  <xsl:template match="/atom:feed">
    <html lang="zh">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/> — Atom</title>
        <style>
          body { font-family: system-ui, -apple-system, "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif; max-width: 60em; margin: 0 auto; padding: 1em 1.2em; color: #111; line-height: 1.5; }
          .about { background: #fff8e1; border-left: 3px solid #e0b000; padding: 0.5em 0.8em; font-size: 0.92em; }
          .about code { background: #f1f3f5; padding: 0 0.3em; overflow-wrap: anywhere; }
          ol { list-style: none; padding: 0; }
          li { padding: 0.5em 0; border-bottom: 1px solid #eef1f4; }
          li a.title { font-weight: 600; font-size: 1.05em; }
          .meta { color: #555; font-size: 0.85em; }
          p.summary { margin: 0.2em 0 0; color: #333; font-size: 0.93em; }
        </style>
      </head>
      <body>
        <h1><xsl:value-of select="atom:title"/></h1>
        <p class="about">这是一个 Atom 订阅源：把本页网址复制到阅读器（Feedly、Inoreader、Thunderbird …）即可订阅。
          This is an Atom feed: copy this page's address into a feed reader to subscribe.<br/>
          <code><xsl:value-of select="atom:link[@rel='self']/@href"/></code></p>
        <p class="meta"><xsl:value-of select="count(atom:entry)"/> 篇 · entries · 更新 updated <xsl:value-of select="substring(atom:updated, 1, 16)"/></p>
        <ol>
          <xsl:for-each select="atom:entry">
            <li>
              <a class="title" href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a>
              <div class="meta">
                <xsl:value-of select="substring(atom:published, 1, 10)"/>
                <xsl:if test="atom:author/atom:name"> · <xsl:value-of select="atom:author/atom:name"/></xsl:if>
                <xsl:if test="atom:link[@rel='related']"> · <a href="{atom:link[@rel='related']/@href}" rel="nofollow noreferrer">原文 ↗</a></xsl:if>
              </div>
              <p class="summary"><xsl:value-of select="atom:summary"/></p>
            </li>
          </xsl:for-each>
        </ol>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
