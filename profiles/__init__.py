"""Topic profiles: one TOML file per topic (keywords, seeds, channel lists, series pages, search
keys), read by runtime/profiles.py. A package only so the files ship inside a Scrapyd egg."""
