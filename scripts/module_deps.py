#!/usr/bin/env python3
"""Module dependency graph of src/ and its cycles.

For every pair of sibling modules (children of the same parent: the crate's
top-level modules, the children of `segmentation`, of `ui`, ...) an edge A -> B
means a file inside A names a path inside B (`crate::...`, `super::...` or a
sibling's name after `use`). A parent and its own children are not siblings, so
`mod.rs` re-exporting a child is not a cycle; test code is left out. Prints each module's sibling
imports, then every cycle (strongly connected component of more than one
module); exits 1 when there is a cycle.

Usage: scripts/module_deps.py [--list]
"""
import os, re, sys
from collections import defaultdict

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src')

def modpath(f):
    rel = os.path.relpath(f, ROOT)[:-3].split(os.sep)
    if rel[-1] in ('mod', 'lib', 'main'):
        rel = rel[:-1]
    return tuple(rel)

def strip(text):
    text = re.sub(r'//[^\n]*', '', text)
    text = re.sub(r'"(\\.|[^"\\])*"', '""', text)
    return text

files = []
for d, _, fs in os.walk(ROOT):
    for f in fs:
        if f.endswith('.rs'):
            files.append(os.path.join(d, f))
mods = {modpath(f): f for f in files}
# inline test modules and bin: main.rs is the binary crate; skip it
mods.pop((), None)

def resolve(cur, path):
    """Absolute module path named by a Rust path seen in module `cur`."""
    parts = path.split('::')
    if parts[0] == 'crate':
        base, rest = [], parts[1:]
    elif parts[0] == 'super':
        base = list(cur)
        while parts and parts[0] == 'super':
            base = base[:-1]
            parts = parts[1:]
        rest = parts
    elif parts[0] == 'self':
        base, rest = list(cur), parts[1:]
    else:
        return None
    full = base + rest
    # longest prefix that is a module
    for n in range(len(full), -1, -1):
        if tuple(full[:n]) in mods or n == 0:
            return tuple(full[:n])

edges = defaultdict(set)
for m, f in mods.items():
    if os.path.basename(f) == 'main.rs':
        continue
    if 'tests' in m:
        continue  # test modules may use anything
    text = open(f).read()
    # an inline test module (at the end of a file) is not part of the design
    text = re.split(r'#\[cfg\(test\)\]\s*mod \w+\s*\{', text)[0]
    text = strip(text)
    paths = re.findall(r'\b((?:crate|super|self)(?:::\w+)+)', text)
    # grouped imports: use super::{a, b::c}
    for g in re.finditer(r'\b((?:crate|super|self)(?:::\w+)*)::\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}', text):
        for item in re.split(r',', re.sub(r'\{[^{}]*\}', '', g.group(2))):
            item = item.strip().split(' as ')[0]
            if item and item != 'self':
                paths.append(g.group(1) + '::' + item)
    for p in paths:
        t = resolve(m, p)
        if t is None:
            continue
        # the sibling pair: longest common parent, then one level below it
        k = 0
        while k < min(len(m), len(t)) and m[k] == t[k]:
            k += 1
        if k == len(m) or k == len(t):
            continue  # ancestor / descendant
        a, b = m[:k + 1], t[:k + 1]
        edges[a].add(b)

def sccs(nodes, edges):
    idx, low, st, on, out = {}, {}, [], set(), []
    counter = [0]
    def visit(v):
        idx[v] = low[v] = counter[0]; counter[0] += 1
        st.append(v); on.add(v)
        for w in edges.get(v, ()):
            if w not in idx:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], idx[w])
        if low[v] == idx[v]:
            comp = []
            while True:
                w = st.pop(); on.discard(w); comp.append(w)
                if w == v:
                    break
            out.append(comp)
    sys.setrecursionlimit(10000)
    for v in nodes:
        if v not in idx:
            visit(v)
    return out

nodes = set(edges) | {b for v in edges.values() for b in v}
name = lambda m: '::'.join(m)
if '--list' in sys.argv:
    for a in sorted(nodes):
        if edges.get(a):
            print(f"{name(a)} -> {', '.join(sorted(name(b) for b in edges[a]))}")
cycles = [c for c in sccs(sorted(nodes), edges) if len(c) > 1]
for c in cycles:
    print('cycle:', ' <-> '.join(sorted(name(x) for x in c)))
print(f"{len(nodes)} modules, {sum(len(v) for v in edges.values())} sibling imports, {len(cycles)} cycles")
sys.exit(1 if cycles else 0)
