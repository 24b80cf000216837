"""Directory search and filters at scale: the request mix of scripts/bench-scale.sh.

Signs in as the demo employee, then sends GET /api/people requests of several
kinds (1-, 2-, 3+-letter searches, common and rare terms, filters, their
combinations, deep pages) one at a time over one keep-alive connection, and
prints p50/p95/p99/max per kind and overall: the server's own time (from the
`server-timing` header: the handler, database and photo signing) and the
time the client saw (request sent to last byte read).

Usage: python3 bench_scale.py URL PASSWORD [ROUNDS] [--budget MS] [--dump FILE]
  --dump FILE  writes every request's path, total and ids (JSON), so two
               runs against two databases can be compared
               (scripts/bench-scale.sh compares SQLite's with PostgreSQL's)
"""

import argparse
import http.client
import json
import random
import sys
import time
import urllib.parse

BUDGET_MS = 20.0
# The SPA's page size (src/query.rs PAGE_SIZE); requests leave per_page out
# only when it is the server's default, so it is always sent.
PER_PAGE = 24
EMPLOYEE = "employee@lanyard.example"
DEPARTMENTS = ["Engineering", "Sales", "Customer Success", "Design", "Legal", "People"]
LOCATIONS = ["Lisbon", "Berlin", "Toronto", "Austin", "Singapore", "Remote"]
# What people type: one or two letters (the box before the debounce settles),
# common syllables, whole first and last names, title words, email parts,
# and words nobody has.
ONE = list("abcdefghijklmnoprstuvwyz")
TWO = ["li", "an", "ma", "jo", "ch", "el", "sa", "ka", "mi", "ro", "qa", "vp", "zo", "de"]
COMMON = ["ana", "eng", "man", "son", "engineer", "manager", "senior", "ser", "ali", "lin"]
RARE = ["xyz", "zzzz-no-such-person", "qux", "counsel", "payroll", "zoë", "o'b", "100%", "a_b"]


def kinds(names, emails, pages):
    """Each request kind: a name and a function that returns query parameters.

    `pages` maps "everyone" and "Engineering" to their number of pages."""
    pick = random.choice

    def deep(total_pages):
        # Far into the results: the last pages or a random one in the back half.
        return pick([total_pages, total_pages - 1, random.randint(total_pages // 2, total_pages)])

    return {
        "list, page 1": lambda: {},
        "list, deep page": lambda: {"page": deep(pages["everyone"])},
        "department": lambda: {"department": pick(DEPARTMENTS)},
        "location": lambda: {"location": pick(LOCATIONS)},
        "department+location": lambda: {"department": pick(DEPARTMENTS), "location": pick(LOCATIONS)},
        "filter, deep page": lambda: {"department": "Engineering", "page": deep(pages["Engineering"])},
        "q 1 letter": lambda: {"q": pick(ONE)},
        "q 2 letters": lambda: {"q": pick(TWO)},
        "q common 3+": lambda: {"q": pick(COMMON)},
        "q common, deep page": lambda: {"q": pick(["eng", "man", "senior"]), "page": random.randint(20, 300)},
        "q rare": lambda: {"q": pick(RARE)},
        "q full name": lambda: {"q": pick(names)},
        "q last name": lambda: {"q": pick(names).split(" ")[-1]},
        "q email": lambda: {"q": pick(emails)},
        "q + department": lambda: {"q": pick(COMMON + TWO), "department": pick(DEPARTMENTS)},
        "q + both filters": lambda: {"q": pick(COMMON + ONE), "department": pick(DEPARTMENTS), "location": pick(LOCATIONS)},
    }


class Client:
    def __init__(self, url):
        parsed = urllib.parse.urlsplit(url)
        self.conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
        self.cookie = ""

    def request(self, method, path, body=None):
        headers = {"cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["content-type"] = "application/json"
        started = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        cookie = response.getheader("set-cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response, data, elapsed


def path_for(params):
    return "/api/people?" + urllib.parse.urlencode({**params, "per_page": PER_PAGE})


def server_ms(response):
    """The `app` and `db` durations of the server-timing header, in ms."""
    durations = {}
    for metric in (response.getheader("server-timing") or "").split(","):
        name, _, params = metric.strip().partition(";")
        if params.startswith("dur="):
            durations[name] = float(params[4:])
    if "app" not in durations or "db" not in durations:
        sys.exit("no `app` and `db` durations in the server-timing header")
    return durations["app"], durations["db"]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def row(label, server, client):
    s = " ".join(f"{percentile(server, p):6.1f}" for p in (50, 95, 99)) + f" {max(server):6.1f}"
    c = " ".join(f"{percentile(client, p):6.1f}" for p in (50, 95, 99)) + f" {max(client):6.1f}"
    return f"{label:<22} {len(server):>4}   {s}   {c}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("password")
    parser.add_argument("rounds", nargs="?", type=int, default=40)
    parser.add_argument("--budget", type=float, default=BUDGET_MS)
    parser.add_argument("--dump")
    args = parser.parse_args()
    url, password, rounds, budget = args.url, args.password, args.rounds, args.budget
    random.seed(8)
    client = Client(url)
    response, _, _ = client.request("POST", "/api/session", json.dumps({"email": EMPLOYEE, "password": password}))
    if response.status != 200 or not client.cookie:
        sys.exit(f"signing in failed: HTTP {response.status}")

    # Real names and emails to search for, from a few pages of the directory.
    names, emails = [], []
    for page in (1, 400, 1200, 2000):
        _, data, _ = client.request("GET", f"/api/people?per_page=50&page={page}")
        people = json.loads(data)["people"]
        names += [p["name"] for p in people]
    for name in random.sample(names, 20):
        _, data, _ = client.request("GET", "/api/people?" + urllib.parse.urlencode({"q": name, "per_page": 1}))
        first = json.loads(data)["people"]
        if first:
            detail = json.loads(client.request("GET", f"/api/people/{first[0]['id']}")[1])
            emails.append(detail["person"]["email"].split("@")[0])

    pages = {}
    for label, query in (("everyone", ""), ("Engineering", "&department=Engineering")):
        page = json.loads(client.request("GET", f"/api/people?per_page=1{query}")[1])
        pages[label] = max(1, -(-page["total"] // PER_PAGE))
    table = kinds(names, emails, pages)
    plan = [kind for kind in table for _ in range(rounds)]
    random.shuffle(plan)
    # Warm up: SQLite's page cache and the server's code paths.
    for kind in plan[:50]:
        client.request("GET", path_for(table[kind]()))

    results = {kind: ([], []) for kind in table}
    db_times = []
    answers = []
    for kind in plan:
        path = path_for(table[kind]())
        response, data, elapsed = client.request("GET", path)
        if response.status != 200:
            sys.exit(f"{path}: HTTP {response.status}")
        if args.dump:
            page = json.loads(data)
            answers.append([path, page["total"], [p["id"] for p in page["people"]]])
        app, db = server_ms(response)
        results[kind][0].append(app)
        db_times.append(db)
        results[kind][1].append(elapsed)

    print(f"{'kind':<22} {'n':>4}   {'server ms: p50    p95    p99    max':<30}   client ms: p50    p95    p99    max")
    for kind, (server, client_ms) in results.items():
        print(row(kind, server, client_ms))
    every_server = [v for s, _ in results.values() for v in s]
    every_client = [v for _, c in results.values() for v in c]
    print(row("all", every_server, every_client))
    print(f"{'(of which database)':<22} {len(db_times):>4}   "
          + " ".join(f"{percentile(db_times, p):6.1f}" for p in (50, 95, 99)) + f" {max(db_times):6.1f}")
    p95 = percentile(every_server, 95)
    worst = max(percentile(s, 95) for s, _ in results.values())
    verdict = "within" if p95 <= budget else "OVER"
    print(f"\nserver-side p50 / p95 / p99 over all {len(every_server)} requests: "
          f"{percentile(every_server, 50):.1f} / {p95:.1f} / {percentile(every_server, 99):.1f} ms; "
          f"p95 {verdict} the {budget:.0f} ms budget (worst kind's p95: {worst:.1f} ms)")
    if args.dump:
        with open(args.dump, "w") as out:
            json.dump(answers, out)


if __name__ == "__main__":
    main()
