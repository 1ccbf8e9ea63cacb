#!/usr/bin/python3
"""ref_nx.py — independent reference solvers for bench/FORMAT.md files.

    /usr/bin/python3 bench/ref_nx.py FILE

HR: a short mentee-proposing deferred acceptance (Gale–Shapley with
capacities). AS: networkx's max_flow_min_cost on source → mentee (1) →
mentor (1, cost −score) → sink (capacity). Prints exactly the FORMAT.md
output. Meant for small sizes (networkx is pure Python). Use Debian's
/usr/bin/python3, which has python3-networkx.
"""
import sys


def ints(text):
    return [list(map(int, line.split())) for line in text.splitlines() if line.strip()]


def solve_hr(rows, n, m):
    cap, mrank, mlist = [], [], []
    for j in range(m):
        r = rows[1 + j]
        cap.append(r[0])
        lst = r[2:2 + r[1]]
        mlist.append(lst)
        mrank.append({i: k for k, i in enumerate(lst)})
    pref = [rows[1 + m + i][1:] for i in range(n)]
    nxt = [0] * n
    held = [[] for _ in range(m)]  # mentees held by mentor j
    free = list(range(n - 1, -1, -1))
    while free:
        i = free.pop()
        while nxt[i] < len(pref[i]):
            j = pref[i][nxt[i]]
            if cap[j] == 0:
                nxt[i] += 1
                continue
            if len(held[j]) < cap[j]:
                held[j].append(i)
                break
            worst = max(held[j], key=lambda x: mrank[j][x])
            if mrank[j][i] < mrank[j][worst]:
                held[j].remove(worst)
                held[j].append(i)
                nxt[worst] += 1
                free.append(worst)
                break
            nxt[i] += 1
    out = [-1] * n
    for j in range(m):
        for i in held[j]:
            out[i] = j
    return "".join(f"{x}\n" for x in out)


def solve_as(rows, n, m, e):
    import networkx as nx
    cap = rows[1] if m else []
    g = nx.DiGraph()
    g.add_node("s")
    g.add_node("t")
    for i in range(n):
        g.add_edge("s", ("e", i), capacity=1, weight=0)
    for j in range(m):
        if cap[j]:
            g.add_edge(("m", j), "t", capacity=cap[j], weight=0)
    for r in rows[2 if m else 1:][:e]:
        i, j, s = r
        g.add_edge(("e", i), ("m", j), capacity=1, weight=-s)
    flow = nx.max_flow_min_cost(g, "s", "t")
    out = [-1] * n
    matched = total = 0
    for r in rows[2 if m else 1:][:e]:
        i, j, s = r
        if flow[("e", i)].get(("m", j), 0) > 0:
            out[i] = j
            matched += 1
            total += s
    return f"{matched} {total}\n" + "".join(f"{x}\n" for x in out)


def main():
    text = open(sys.argv[1]).read() if sys.argv[1] != "-" else sys.stdin.read()
    first = text.split(None, 1)[0]
    rows = [r for r in (line.split() for line in text.splitlines())]
    rows = [list(map(int, r[1:] if k == 0 else r)) for k, r in enumerate(rows) if r or k == 1]
    if first == "HR":
        n, m = rows[0]
        sys.stdout.write(solve_hr(rows, n, m))
    else:
        n, m, e = rows[0]
        sys.stdout.write(solve_as(rows, n, m, e))


if __name__ == "__main__":
    main()
