"""The search's everyday vocabulary (datapackage/vocabulary.csv) in the two forms the site's search uses.

- `page_words(data)`: page → the words people type for it. The build adds them to that page's entry in the search
  index (a `words` field, ranked like a title): a service gets its everyday names, benefit and user words and old
  scheme names; a domain page gets the general words of its domain ("看病" → 医疗卫生).
- `query_words(data)`: what the search box uses while a person types (search/words.json, fetched with the index on
  the first search only): words that carry no meaning in a query (dropped), general words and the plan terms they
  stand for (added to the query), and the ways on offered when a query finds nothing (the closest everyday words, the audiences, the domains).
Everything comes from the package; to change what the search understands, edit vocabulary.csv, not this file.
"""
SERVICE_KINDS = ("叫法", "待遇", "人群", "旧称")
SUGGEST_KINDS = ("叫法", "旧称")


def _rows(data: dict) -> list[dict]:
    return [r for r in data["tables"].get("vocabulary", []) if r.get("word")]


def page_words(data: dict) -> dict[str, list[str]]:
    """{"services/S022/": ["打疫苗", "打针", …], "domains/health/": ["看病", …]}, each list without repeats."""
    out: dict[str, list[str]] = {}
    for r in _rows(data):
        if r.get("kind") in SERVICE_KINDS and r.get("service"):
            page = f"services/{r['service']['id']}/"
        elif r.get("kind") == "通用" and r.get("domain"):
            page = f"domains/{r['domain']['id']}/"
        else:
            continue
        words = out.setdefault(page, [])
        if r["word"] not in words:
            words.append(r["word"])
    return out


def query_words(data: dict) -> dict:
    """{"stop": [words dropped from a query], "general": {word: [plan terms]}, "suggest": [[word, page, title]],
    "audiences": [[name, page]], "domains": [[name, page]]} — the last three are the ways on when nothing is found."""
    stop, general, suggest = [], {}, []
    for r in _rows(data):
        kind, word = r.get("kind"), r["word"]
        if kind == "虚词":
            stop.append(word)
        elif kind == "通用" and r.get("term"):
            general.setdefault(word, []).append(r["term"])
        elif kind in SUGGEST_KINDS and r.get("service"):
            suggest.append([word, f"services/{r['service']['id']}/", r["service"].get("name", "")])
    audiences = [[a["name"], f"audiences/{a['id']}/"] for a in data["tables"].get("audiences", [])]
    domains = [[d["name"], f"domains/{d['id']}/"] for d in data["tables"].get("domains", [])]
    return {"stop": sorted(set(stop)), "general": general, "suggest": suggest, "audiences": audiences, "domains": domains}
