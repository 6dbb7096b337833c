"""Finds the tests in Python test files and what each one asserts, with Python's own `ast` (never imports them).

Input (a JSON file named on the command line): {"files": [{"path": str, "content": str}]}.
Output (stdout): {"files": [{"path", "parseError", "tests": [{"id", "name", "line", "assertions", "markers",
"existenceOnly"}]}]}, the shape of Nightshift's TestFileAnalysis.
Tests are what pytest collects by default: `test*` functions at module level and `test*` methods of `Test*`
classes (nested ones too) or of `unittest.TestCase` subclasses.
"""

import ast
import json
import sys

EXACT_METHODS = {
    "assertEqual", "assertEquals", "assertAlmostEqual", "assertAlmostEquals", "assertListEqual",
    "assertDictEqual", "assertTupleEqual", "assertSetEqual", "assertSequenceEqual", "assertMultiLineEqual",
    "assertCountEqual", "assertIs", "assertIsNone", "assertIn", "assertGreater", "assertGreaterEqual",
    "assertLess", "assertLessEqual", "assertRegex", "assertDictContainsSubset",
}
TRUTHINESS_METHODS = {"assertTrue", "assertFalse", "assertIsNotNone", "assert_", "failUnless"}
RAISES_METHODS = {"assertRaises", "assertRaisesRegex", "assertRaisesRegexp", "assertWarns", "assertWarnsRegex"}
RAISES_FUNCTIONS = {"raises", "warns", "deprecated_call"}
EXISTENCE_FUNCTIONS = {"hasattr", "callable", "isfunction", "isclass", "ismethod", "isroutine", "iscoroutinefunction"}
SKIP_CALLS = {"skip": "skip", "importorskip": "skip", "xfail": "xfail", "skipTest": "skip"}


def dotted(node):
    """`a.b.c` for a chain of names and attributes, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def is_literal(node):
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return isinstance(node.operand, ast.Constant)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return all(is_literal(element) for element in node.elts)
    if isinstance(node, ast.Dict):
        return all(key is not None and is_literal(key) for key in node.keys) and all(is_literal(v) for v in node.values)
    return False


def is_none(node):
    return isinstance(node, ast.Constant) and node.value is None


class Source:
    def __init__(self, content):
        self.content = content

    def text(self, node):
        segment = ast.get_source_segment(self.content, node)
        if segment is None:
            segment = ast.unparse(node)
        return " ".join(segment.split())


def names_a_symbol(node, local):
    """A bare name or attribute chain that the test did not compute itself (an import, a module attribute)."""
    name = dotted(node)
    return name is not None and name.split(".")[0] not in local


def existence_expr(node, local):
    """True when `node` only says that a symbol exists: `f`, `m.f`, `hasattr(...)`, `callable(f)`, `f is not None`."""
    if names_a_symbol(node, local):
        return True
    if isinstance(node, ast.Call):
        name = dotted(node.func)
        return name is not None and name.split(".")[-1] in EXISTENCE_FUNCTIONS
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, right, op = node.left, node.comparators[0], node.ops[0]
        if isinstance(op, (ast.IsNot, ast.NotEq)) and is_none(right):
            return names_a_symbol(left, local)
        if isinstance(op, ast.In) and isinstance(right, ast.Call) and dotted(right.func) in ("dir", "vars"):
            return True
    return False


def assigned_names(function):
    """Names the test binds itself (assignments, loops, `with ... as`), whose checks are about computed values."""
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def classify_compare(node):
    """(kind, expected node) for a comparison used as an assertion."""
    if len(node.ops) != 1:
        return "exact", None
    op, left, right = node.ops[0], node.left, node.comparators[0]
    if isinstance(op, (ast.IsNot, ast.NotEq)) and (is_none(right) or is_none(left)):
        return "truthiness", None
    if isinstance(op, (ast.NotEq, ast.IsNot, ast.NotIn)):
        return "other", None
    if is_literal(right):
        return "exact", right
    if is_literal(left):
        return "exact", left
    return "exact", None


class TestBody(ast.NodeVisitor):
    """Collects the assertions and skip/xfail calls of one test function's body."""

    def __init__(self, source, local):
        self.source = source
        self.local = local
        self.assertions = []
        self.markers = []
        self.existence = []

    def add(self, node, kind, expected=None, existence=False):
        self.assertions.append({
            "line": node.lineno,
            "kind": kind,
            "text": self.source.text(node),
            "expected": None if expected is None else self.source.text(expected),
        })
        self.existence.append(existence)

    def visit_Assert(self, node):
        test = node.test
        if isinstance(test, ast.Compare):
            kind, expected = classify_compare(test)
            self.add(node, kind, expected, existence_expr(test, self.local))
        elif isinstance(test, ast.BoolOp):
            self.add(node, "other")
        else:
            self.add(node, "truthiness", None, existence_expr(test, self.local))

    def visit_Raise(self, node):
        name = dotted(node.exc.func if isinstance(node.exc, ast.Call) else node.exc) if node.exc else None
        if name is not None and name.split(".")[-1] == "SkipTest":
            self.markers.append({"kind": "skip", "line": node.lineno})
        self.generic_visit(node)

    def visit_Call(self, node):
        name = dotted(node.func)
        last = name.split(".")[-1] if name else None
        if last is None:
            self.generic_visit(node)
        elif last in EXACT_METHODS:
            literal = next((arg for arg in reversed(node.args[:2]) if is_literal(arg)), None)
            if last == "assertIsNone":
                literal = None
            self.add(node, "exact", literal)
        elif last in TRUTHINESS_METHODS:
            existence = last in ("assertTrue", "assertIsNotNone", "assert_") and bool(node.args) and existence_expr(node.args[0], self.local)
            self.add(node, "truthiness", None, existence)
        elif last in RAISES_METHODS or (last in RAISES_FUNCTIONS and name.startswith("pytest.")):
            self.add(node, "raises")
            self.generic_visit(node)
        elif last.startswith("assert_") or (last.startswith("assert") and last[6:7].isupper()):
            kind = "exact" if "equal" in last.lower() and "not" not in last.lower() else "other"
            literal = next((arg for arg in reversed(node.args[:2]) if is_literal(arg)), None) if kind == "exact" else None
            self.add(node, kind, literal)
        elif last in SKIP_CALLS and (name.startswith("pytest.") or last == "skipTest"):
            self.markers.append({"kind": SKIP_CALLS[last], "line": node.lineno})
            self.generic_visit(node)
        else:
            self.generic_visit(node)


def decorator_markers(decorators):
    """skip/xfail markers named anywhere in the decorators: `pytest.mark.skip*`, `unittest.skip*`, `pytest.param(marks=...)`."""
    markers = []
    for decorator in decorators:
        for node in ast.walk(decorator):
            name = dotted(node) if isinstance(node, (ast.Attribute, ast.Name)) else None
            if name is None:
                continue
            parts = name.split(".")
            last = parts[-1]
            if "mark" in parts[:-1] and last in ("skip", "skipif"):
                markers.append({"kind": "skip", "line": decorator.lineno})
            elif "mark" in parts[:-1] and last == "xfail":
                markers.append({"kind": "xfail", "line": decorator.lineno})
            elif last in ("skip", "skipIf", "skipUnless") and (len(parts) == 1 or parts[-2] == "unittest"):
                markers.append({"kind": "skip", "line": decorator.lineno})
            elif last == "expectedFailure":
                markers.append({"kind": "xfail", "line": decorator.lineno})
    return markers


def pytestmark_markers(body):
    """Markers from `pytestmark = ...` assignments and module/class-level `pytest.skip(...)` calls in a block."""
    markers = []
    for statement in body:
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target] if isinstance(statement, (ast.AnnAssign, ast.AugAssign)) else []
        if any(isinstance(target, ast.Name) and target.id == "pytestmark" for target in targets) and statement.value is not None:
            found = decorator_markers([statement.value])
            markers.extend({"kind": marker["kind"], "line": statement.lineno} for marker in found)
        elif not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for node in ast.walk(statement):
                name = dotted(node.func) if isinstance(node, ast.Call) else None
                if name in ("pytest.skip", "pytest.importorskip", "pytest.xfail"):
                    markers.append({"kind": SKIP_CALLS[name.split(".")[-1]], "line": node.lineno})
    return markers


def is_test_class(node):
    if node.name.startswith("Test"):
        return True
    return any((dotted(base) or "").split(".")[-1].endswith("TestCase") for base in node.bases)


def collect(body, chain, inherited, path, source, tests):
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            visitor = TestBody(source, assigned_names(node))
            for statement in node.body:
                visitor.visit(statement)
            markers = inherited + decorator_markers(node.decorator_list) + visitor.markers
            tests.append({
                "id": "::".join([path] + chain + [node.name]),
                "name": node.name,
                "line": node.lineno,
                "assertions": visitor.assertions,
                "markers": markers,
                "existenceOnly": bool(visitor.existence) and all(visitor.existence),
            })
        elif isinstance(node, ast.ClassDef) and is_test_class(node):
            own = decorator_markers(node.decorator_list) + pytestmark_markers(node.body)
            collect(node.body, chain + [node.name], inherited + own, path, source, tests)


def analyze(path, content):
    try:
        tree = ast.parse(content, filename=path)
    except (SyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None)
        message = getattr(error, "msg", None) or str(error)
        return {"path": path, "parseError": f"line {line}: {message}" if line else message, "tests": []}
    tests = []
    collect(tree.body, [], pytestmark_markers(tree.body), path, Source(content), tests)
    return {"path": path, "parseError": None, "tests": tests}


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        request = json.load(handle)
    answer = {"files": [analyze(item["path"], item["content"]) for item in request["files"]]}
    sys.stdout.write(json.dumps(answer))


main()
