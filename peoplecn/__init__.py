"""What people.cn says, read without touching anything: its URL grammar and article ids, its
text conventions, its list pages and search API answers, and the page readers that turn a
fetched page into an Article record.

The lowest layer of xietong: pure functions of URL + bytes. It imports nothing else of ours, no
Scrapy, no database and no clock (the import-linter contracts in pyproject.toml hold it to that).
"""
