#!/usr/bin/env python3
"""Module dependency graph of src/ and its cycles.

For every pair of sibling modules (children of the same parent: the crate's
top-level modules, the children of `segmentation`, of `ui`, ...) an edge A -> B
means a file inside A names a path inside B (`crate::...`, `super::...` or
`self::...`). A parent and its own children are not siblings, so `mod.rs`
re-exporting a child is not a cycle; test code (`tests` modules, `#[cfg(test)] mod`
blocks) is left out. Prints every cycle (strongly connected component of more than
one module) and a summary line; exits 1 when there is a cycle.

Paths are found in the code only: each file is lexed first (line comments, nested
block comments, strings with escapes and backslash-newline continuations, byte and
C strings, raw strings r"..", r#".."#, char literals such as '"' as opposed to
lifetimes), so a quote or `crate::x` inside a literal or a comment neither hides
nor invents an import.

Usage: scripts/module_deps.py [--list]     (--list: each module's sibling imports)
       scripts/module_deps.py --self-test  (the lexer and the cycle finder on snippets)
"""
import os
import re
import sys
import tempfile
from collections import defaultdict

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src')

IDENT_START = re.compile(r'[A-Za-z_]')
IDENT = re.compile(r'[A-Za-z0-9_]+')
# a char literal: one character or one escape between single quotes
CHAR = re.compile(r"'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F_]{1,8}\}|[nrt\\0'\"])|[^\\'\n\r\t])'")


class LexError(Exception):
    pass


def lex(text):
    """The code of a Rust file without its comments, every string / char literal
    replaced by an empty one ("" or ' '), raw identifiers r#x written x."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('//', i):
            j = text.find('\n', i)
            i = n if j < 0 else j
            out.append(' ')
            continue
        if text.startswith('/*', i):
            depth = 0
            while True:
                if i >= n:
                    raise LexError('unterminated block comment')
                if text.startswith('/*', i):
                    depth += 1
                    i += 2
                elif text.startswith('*/', i):
                    depth -= 1
                    i += 2
                    if depth == 0:
                        break
                else:
                    i += 1
            out.append(' ')
            continue
        if IDENT_START.match(c):
            m = IDENT.match(text, i)
            word, j = m.group(0), m.end()
            nxt = text[j:j + 1]
            if word in ('r', 'br', 'cr') and nxt in ('"', '#'):
                h = j
                while h < n and text[h] == '#':
                    h += 1
                if h < n and text[h] == '"':
                    end = '"' + '#' * (h - j)
                    k = text.find(end, h + 1)
                    if k < 0:
                        raise LexError('unterminated raw string')
                    out.append('""')
                    i = k + len(end)
                    continue
                if word == 'r' and h == j + 1 and IDENT_START.match(text[h:h + 1]):
                    # raw identifier r#name
                    m = IDENT.match(text, h)
                    out.append(m.group(0))
                    i = m.end()
                    continue
            if word in ('b', 'c') and nxt == '"':
                i = j  # the string itself is lexed below
                continue
            if word == 'b' and nxt == "'":
                i = j
                continue
            out.append(word)
            i = j
            continue
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                # an escape (\" \\ or a backslash-newline continuation) is two characters
                j += 2 if text[j] == '\\' else 1
            if j >= n:
                raise LexError('unterminated string')
            out.append('""')
            i = j + 1
            continue
        if c == "'":
            m = CHAR.match(text, i)
            if m:
                out.append("' '")
                i = m.end()
                continue
            # a lifetime or a label ('a, 'static, 'outer:): the quote is kept, the name follows
        out.append(c)
        i += 1
    return ''.join(out)


def drop_test_blocks(code):
    """`code` (lexed) without its `#[cfg(test)] mod name { ... }` blocks."""
    pat = re.compile(r'#\s*\[\s*cfg\s*\(\s*test\s*\)\s*\]\s*(?:#\s*\[[^\]]*\]\s*)*'
                     r'(?:pub(?:\s*\([^)]*\))?\s+)?mod\s+\w+\s*\{')
    while True:
        m = pat.search(code)
        if not m:
            return code
        depth, j = 1, m.end()
        while j < len(code) and depth:
            depth += {'{': 1, '}': -1}.get(code[j], 0)
            j += 1
        code = code[:m.start()] + ' ' + code[j:]


def paths_in(code):
    """Every `crate::` / `super::` / `self::` path named in lexed code, groups expanded."""
    paths = re.findall(r'\b((?:crate|super|self)(?:\s*::\s*\w+)+)', code)
    paths = [re.sub(r'\s+', '', p) for p in paths]
    # grouped imports: use super::{a, b::c}
    for g in re.finditer(r'\b((?:crate|super|self)(?:::\w+)*)::\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}', code):
        for item in re.sub(r'\{[^{}]*\}', '', g.group(2)).split(','):
            item = item.strip().split(' as ')[0].strip().rstrip(':')
            if item and item not in ('self', '*'):
                paths.append(g.group(1) + '::' + item)
    return paths


def modpath(root, f):
    rel = os.path.relpath(f, root)[:-3].split(os.sep)
    if rel[-1] in ('mod', 'lib', 'main'):
        rel = rel[:-1]
    return tuple(rel)


def resolve(mods, cur, path):
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
    for k in range(len(full), -1, -1):
        if tuple(full[:k]) in mods or k == 0:
            return tuple(full[:k])


def graph(root):
    """(nodes, edges) of the sibling imports of the crate under `root`."""
    files = []
    for d, _, fs in os.walk(root):
        for f in fs:
            if f.endswith('.rs'):
                files.append(os.path.join(d, f))
    mods = {modpath(root, f): f for f in files}
    mods.pop((), None)  # lib.rs / main.rs: the crate root has no siblings
    edges = defaultdict(set)
    for m, f in sorted(mods.items()):
        if os.path.basename(f) == 'main.rs':
            continue
        if 'tests' in m:
            continue  # test modules may use anything
        with open(f, encoding='utf-8') as fh:
            text = fh.read()
        try:
            code = drop_test_blocks(lex(text))
        except LexError as e:
            raise LexError(f'{f}: {e}') from None
        for p in paths_in(code):
            t = resolve(mods, m, p)
            if t is None:
                continue
            # the sibling pair: longest common parent, then one level below it
            k = 0
            while k < min(len(m), len(t)) and m[k] == t[k]:
                k += 1
            if k == len(m) or k == len(t):
                continue  # ancestor / descendant
            edges[m[:k + 1]].add(t[:k + 1])
    nodes = set(edges) | {b for v in edges.values() for b in v}
    return nodes, edges


def sccs(nodes, edges):
    idx, low, st, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        idx[v] = low[v] = counter[0]
        counter[0] += 1
        st.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in idx:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], idx[w])
        if low[v] == idx[v]:
            comp = []
            while True:
                w = st.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(comp)

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in idx:
            visit(v)
    return out


def name(m):
    return '::'.join(m)


def cycles_of(nodes, edges):
    return sorted(sorted(name(x) for x in c) for c in sccs(nodes, edges) if len(c) > 1)


def self_test():
    """The lexer on the literals that fooled the old regex, and a cycle hidden behind them."""
    failures = []

    def check(what, got, want):
        if got != want:
            failures.append(f'{what}: got {got!r}, want {want!r}')

    def paths(src):
        return sorted(paths_in(drop_test_blocks(lex(src))))

    cases = [
        ('backslash-continued string',
         'let s = "a \\\n   \\"b\\" \\\n c";\nuse crate::x::Y;', ['crate::x::Y']),
        ('escaped quote', 'let s = "a \\" crate::no"; use crate::a; let t = "b";', ['crate::a']),
        ('path inside a string', 'let s = "crate::a::B"; use crate::b;', ['crate::b']),
        ('raw string with crate:: and a quote',
         'let s = r#"say "crate::x" "#; use super::y;', ['super::y']),
        ('raw string with two hashes', 'let s = r##"a "# crate::x"##; f(crate::z::w);',
         ['crate::z::w']),
        ('plain raw string', 'let s = r"c:\\dir\\"; use crate::q;', ['crate::q']),
        ('byte and C strings', 'let s = b"crate::x\\""; let t = c"\\"crate::v"; use crate::w;',
         ['crate::w']),
        ('byte raw string', 'let s = br#"crate::x"#; use crate::w;', ['crate::w']),
        ('char literal double quote', "let q = '\"'; use crate::a; let s = \"crate::no\";",
         ['crate::a']),
        ('char literal escapes', "let q = '\\''; let b = b'\"'; let u = '\\u{22}'; use crate::a;",
         ['crate::a']),
        ('lifetimes are not chars', "fn f<'a>(x: &'a str) -> &'a str { crate::m::g(x) }",
         ['crate::m::g']),
        ('line comment with a quote', '// don\'t "\nuse crate::a;', ['crate::a']),
        ('line comment naming a path', '// crate::gone\nuse crate::a;', ['crate::a']),
        ('// inside a string is not a comment', 'let u = "http://x"; use crate::a;',
         ['crate::a']),
        ('nested block comment', '/* a /* b */ crate::x " */ use crate::a;',
         ['crate::a']),
        ('doc comment', '/// see `crate::x`\n//! crate::y\nuse crate::a;', ['crate::a']),
        ('grouped import', 'use super::{a, b::c, d as e, self};',
         ['super::a', 'super::b::c', 'super::d']),
        ('nested group', 'use crate::{a::{B, C}, d};', ['crate::a', 'crate::d']),
        ('raw identifier', 'use crate::r#type::X;', ['crate::type::X']),
        ('cfg(test) block dropped, code after it kept',
         '#[cfg(test)]\nmod tests { use crate::t; fn f() { let c = \'}\'; } }\nuse crate::a;',
         ['crate::a']),
    ]
    for what, src, want in cases:
        try:
            check(what, paths(src), want)
        except LexError as e:
            failures.append(f'{what}: {e}')
    for what, src in [('unterminated string', 'let s = "abc'),
                      ('unterminated raw string', 'let s = r#"abc"'),
                      ('unterminated block comment', '/* /* */')]:
        try:
            lex(src)
            failures.append(f'{what}: no error')
        except LexError:
            pass

    # a cycle behind a backslash-continued string (what the old regex missed), one without
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(os.path.join(d, 'p'))
        files = {
            'lib.rs': 'mod p;\nmod q;\n',
            'p/mod.rs': 'mod a;\nmod b;\nmod c;\npub use a::F;\n',
            'p/a.rs': 'fn f() -> String { format!("x \\\n y {}", super::b::g()) }\n',
            'p/b.rs': 'pub fn g() -> char { \'"\' }\nfn h() { let _ = "\\\n"; super::a::f(); }\n',
            'p/c.rs': 'use super::a;\nconst S: &str = r#"crate::q::Z"#;\n',
            'q.rs': '// crate::p::c\npub struct Z;\n',
        }
        for f, src in files.items():
            with open(os.path.join(d, f), 'w') as fh:
                fh.write(src)
        try:
            nodes, edges = graph(d)
            check('tree cycles', cycles_of(nodes, edges), [['p::a', 'p::b']])
            check('tree edges', {name(k): sorted(name(x) for x in v) for k, v in edges.items()},
                  {'p::a': ['p::b'], 'p::b': ['p::a'], 'p::c': ['p::a']})
        except LexError as e:
            failures.append(f'tree: {e}')
    for f in failures:
        print('self-test FAILED:', f)
    print(f"self-test: {len(cases) + 5} checks, {len(failures)} failed")
    return 1 if failures else 0


def main(argv):
    if argv[1:] == ['--self-test']:
        return self_test()
    if argv[1:] not in ([], ['--list']):
        print(__doc__.strip().split('\n\n')[-1], file=sys.stderr)
        return 2
    try:
        nodes, edges = graph(ROOT)
    except LexError as e:
        print(f'module_deps: cannot lex {e}', file=sys.stderr)
        return 1
    if '--list' in argv:
        for a in sorted(nodes):
            if edges.get(a):
                print(f"{name(a)} -> {', '.join(sorted(name(b) for b in edges[a]))}")
    cycles = cycles_of(nodes, edges)
    for c in cycles:
        print('cycle:', ' <-> '.join(c))
    print(f"{len(nodes)} modules, {sum(len(v) for v in edges.values())} sibling imports, "
          f"{len(cycles)} cycles")
    return 1 if cycles else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
