// lemon_as.cpp — LEMON reference for bench/FORMAT.md AS files.
//
//   lemon_as [cs|ns] FILE      (cs = CostScaling, the default; ns = NetworkSimplex)
//
// Network: s → mentee (cap 1) → mentor (cap 1, cost −score) → t (cap =
// capacity). Preflow gives the maximum flow F, then the chosen min-cost flow
// algorithm sends F from s to t: most mentees placed, then the largest
// total score. Prints exactly the FORMAT.md output (parse + solve + write
// are all timed by the caller).
// Build: g++ -O2 -o lemon_as bench/lemon_as.cpp -lemon
#include <lemon/cost_scaling.h>
#include <lemon/network_simplex.h>
#include <lemon/preflow.h>
#include <lemon/smart_graph.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

using namespace lemon;

static char *buf, *p, *bend;

static long num()
{
	while (p < bend && (*p < '0' || *p > '9'))
		p++;
	long x = 0;
	while (p < bend && *p >= '0' && *p <= '9')
		x = x * 10 + (*p++ - '0');
	return x;
}

int main(int argc, char **argv)
{
	bool ns = argc == 3 && !strcmp(argv[1], "ns");
	const char *path = argv[argc - 1];
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = (char *)malloc(len + 1);
	if (fread(buf, 1, len, f) != (size_t)len)
		return 1;
	fclose(f);
	p = buf + 2;
	bend = buf + len;
	long n = num(), m = num(), e = num();
	SmartDigraph g;
	g.reserveNode(n + m + 2);
	g.reserveArc(n + m + e);
	SmartDigraph::Node s = g.addNode(), t = g.addNode();
	std::vector<SmartDigraph::Node> men(n), tor(m);
	for (long i = 0; i < n; i++)
		men[i] = g.addNode();
	for (long j = 0; j < m; j++)
		tor[j] = g.addNode();
	SmartDigraph::ArcMap<long> cap(g), cost(g);
	for (long i = 0; i < n; i++) {
		SmartDigraph::Arc a = g.addArc(s, men[i]);
		cap[a] = 1;
		cost[a] = 0;
	}
	for (long j = 0; j < m; j++) {
		SmartDigraph::Arc a = g.addArc(tor[j], t);
		cap[a] = num();
		cost[a] = 0;
	}
	std::vector<SmartDigraph::Arc> arcs(e);
	std::vector<long> ei(e), ej(e), es(e);
	for (long k = 0; k < e; k++) {
		ei[k] = num();
		ej[k] = num();
		es[k] = num();
		arcs[k] = g.addArc(men[ei[k]], tor[ej[k]]);
		cap[arcs[k]] = 1;
		cost[arcs[k]] = -es[k];
	}
	free(buf);
	Preflow<SmartDigraph, SmartDigraph::ArcMap<long>> pf(g, cap, s, t);
	pf.runMinCut();
	long F = pf.flowValue();
	SmartDigraph::ArcMap<long> flow(g);
	if (ns) {
		NetworkSimplex<SmartDigraph, long, long> alg(g);
		alg.upperMap(cap).costMap(cost).stSupply(s, t, F);
		if (alg.run() != NetworkSimplex<SmartDigraph, long, long>::OPTIMAL)
			return 1;
		alg.flowMap(flow);
	} else {
		CostScaling<SmartDigraph, long, long> alg(g);
		alg.upperMap(cap).costMap(cost).stSupply(s, t, F);
		if (alg.run() != CostScaling<SmartDigraph, long, long>::OPTIMAL)
			return 1;
		alg.flowMap(flow);
	}
	std::vector<long> out(n, -1);
	long total = 0;
	for (long k = 0; k < e; k++)
		if (flow[arcs[k]] > 0) {
			out[ei[k]] = ej[k];
			total += es[k];
		}
	std::vector<char> ob;
	ob.reserve((size_t)n * 8 + 64);
	char tmp[48];
	int l = snprintf(tmp, sizeof tmp, "%ld %ld\n", F, total);
	ob.insert(ob.end(), tmp, tmp + l);
	for (long i = 0; i < n; i++) {
		l = snprintf(tmp, sizeof tmp, "%ld\n", out[i]);
		ob.insert(ob.end(), tmp, tmp + l);
	}
	fwrite(ob.data(), 1, ob.size(), stdout);
	return 0;
}
