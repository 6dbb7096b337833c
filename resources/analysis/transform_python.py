"""Source transforms for the bite rail, built on Python's own ast (never imports the code it reads).

Input (a JSON file named on the command line), one of:
  {"operation": "stub", "files": [{"path", "before", "after"}]}
      -> {"files": [{"path", "content"}]}: `after` without behaviour (new file), or `before` plus stubs of
         the names `after` adds (existing file).
  {"operation": "mutate", "limit": n, "files": [{"path", "content", "lines": [changed line numbers]}]}
      -> {"files": [{"path", "candidates": [...]}]}: at most `limit` mutants per kind and file, in source
         order, each a replacement of whole lines that was checked to parse into the intended tree.
Python 3.9 or newer (ast.unparse). A file that does not parse ends the run with exit 1 and its name.
"""

import ast
import copy
import json
import re
import sys

# Dunder methods whose result the interpreter type-checks: a stub returning None there raises TypeError,
# so a test would error instead of failing on its assertion.
DUNDER_ZEROS = {
    "__bool__": "False",
    "__len__": "0",
    "__hash__": "0",
    "__index__": "0",
    "__int__": "0",
    "__float__": "0.0",
    "__complex__": "0j",
    "__str__": "''",
    "__repr__": "''",
    "__format__": "''",
    "__bytes__": "b''",
    "__iter__": "iter(())",
    "__length_hint__": "0",
}

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


class InputError(Exception):
    pass


def parse(source, path):
    try:
        return ast.parse(source, filename=path)
    except (SyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None) or 0
        raise InputError(f"{path}:{line}: does not parse: {getattr(error, 'msg', error)}") from None


# ---------------------------------------------------------------------------------------------- stubs


def stub_function(node):
    stubbed = copy.copy(node)
    value = DUNDER_ZEROS.get(node.name, "None")
    stubbed.body = [ast.Return(value=ast.parse(value, mode="eval").body)]
    return stubbed


class Stubber(ast.NodeTransformer):
    """Replaces every function body reachable without entering a function (nested ones vanish with it)."""

    def visit_FunctionDef(self, node):
        return stub_function(node)

    def visit_AsyncFunctionDef(self, node):
        return stub_function(node)


def stub_node(node):
    return Stubber().visit(copy.deepcopy(node))


def stub_new(after, path):
    tree = Stubber().visit(parse(after, path))
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def target_names(target):
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in target_names(element)]
    if isinstance(target, ast.Starred):
        return target_names(target.value)
    return []


def bound_names(statement):
    """Names a direct statement of a module or class body binds; imports are handled apart."""
    if isinstance(statement, FUNCTIONS + (ast.ClassDef,)):
        return [statement.name]
    if isinstance(statement, ast.Assign):
        return [name for target in statement.targets for name in target_names(target)]
    if isinstance(statement, ast.AnnAssign):
        return target_names(statement.target)
    return []


def import_name(alias):
    return alias.asname or alias.name.split(".")[0]


def first_line(statement):
    decorators = getattr(statement, "decorator_list", [])
    return min([statement.lineno] + [decorator.lineno for decorator in decorators])


def indent(text, prefix):
    return "\n".join(prefix + line if line.strip() else line for line in text.split("\n"))


def new_member_text(statement):
    return ast.unparse(stub_node(statement) if isinstance(statement, FUNCTIONS + (ast.ClassDef,)) else statement)


def merge_class(before_class, after_class, lines, insertions):
    """Inserts the members `after_class` adds into `before_class`'s text, each after the member it follows."""
    body = before_class.body
    if body[0].lineno == before_class.lineno:
        # `class A: x = 1` has no indented block to insert into.
        return
    line_text = lines[body[0].lineno - 1]
    prefix = line_text[: len(line_text) - len(line_text.lstrip())]
    existing = {}
    for statement in body:
        for name in bound_names(statement):
            existing[name] = statement
    has_docstring = isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str)
    anchor_line = body[0].end_lineno if has_docstring else first_line(body[0]) - 1
    for statement in after_class.body:
        names = bound_names(statement)
        known = [existing[name] for name in names if name in existing]
        if known:
            anchor_line = known[0].end_lineno
            if isinstance(statement, ast.ClassDef) and isinstance(known[0], ast.ClassDef):
                merge_class(known[0], statement, lines, insertions)
        elif names:
            insertions.setdefault(anchor_line, []).append(indent(new_member_text(statement), prefix))


def stub_existing(before, after, path):
    after_tree = parse(after, path)
    try:
        before_tree = ast.parse(before, filename=path)
    except (SyntaxError, ValueError):
        # A file that was already broken keeps its content; its new names cannot be added to it.
        return before
    lines = before.split("\n")
    insertions = {}
    existing = {}
    imported = set()
    for statement in before_tree.body:
        for name in bound_names(statement):
            existing[name] = statement
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            imported.update(import_name(alias) for alias in statement.names)
    appended = []
    for statement in after_tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
                continue
            fresh = [alias for alias in statement.names if import_name(alias) not in imported and import_name(alias) not in existing]
            if fresh:
                narrowed = copy.copy(statement)
                narrowed.names = fresh
                appended.append(ast.unparse(narrowed))
            continue
        names = bound_names(statement)
        known = [existing[name] for name in names if name in existing]
        if known:
            if isinstance(statement, ast.ClassDef) and isinstance(known[0], ast.ClassDef):
                merge_class(known[0], statement, lines, insertions)
        elif names:
            appended.append(new_member_text(statement))
    for line in sorted(insertions, reverse=True):
        lines[line:line] = insertions[line]
    content = "\n".join(lines)
    if appended:
        content = content.rstrip("\n") + "\n\n\n" + "\n\n\n".join(appended) + "\n"
    return content


def stub(files):
    answer = []
    for file in files:
        if file["before"] is None:
            content = stub_new(file["after"], file["path"])
        else:
            content = stub_existing(file["before"], file["after"], file["path"])
        answer.append({"path": file["path"], "content": content})
    return {"files": answer}


# -------------------------------------------------------------------------------------------- mutants

KINDS = ["flip-compare", "off-by-one", "return-none", "swap-logic", "flip-boolean", "swap-arith"]
COMPARE_FLIPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}
COMPARE_TEXT = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
COMPARE_TOKEN = re.compile(r"<=|>=|==|!=|<|>")
LOGIC_TOKEN = re.compile(r"\b(?:and|or)\b")
ARITH_TOKEN = re.compile(r"\+=|-=|\+|-")


class Source:
    """Maps ast positions (1-based lines, UTF-8 byte columns) to offsets in the text."""

    def __init__(self, content):
        self.content = content
        self.lines = content.split("\n")
        self.starts = []
        offset = 0
        for line in self.lines:
            self.starts.append(offset)
            offset += len(line) + 1

    def offset(self, line, column):
        text = self.lines[line - 1]
        return self.starts[line - 1] + len(text.encode("utf-8")[:column].decode("utf-8", "replace"))

    def line_of(self, offset):
        low, high = 0, len(self.starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return low + 1

    def start(self, node):
        return self.offset(node.lineno, node.col_offset)

    def end(self, node):
        return self.offset(node.end_lineno, node.end_col_offset)


def find_token(source, start, end, pattern):
    """First operator token between two operands, ignoring comments in the gap."""
    position = start
    for part in re.split(r"(#[^\n]*)", source.content[start:end]):
        if not part.startswith("#"):
            match = pattern.search(part)
            if match:
                return position + match.start(), position + match.end()
        position += len(part)
    return None


def replace(field, make):
    """A mutation of one field of a node, made in place; it returns the function that undoes it."""

    def mutate(node):
        old = getattr(node, field)
        setattr(node, field, make(old))
        return lambda: setattr(node, field, old)

    return mutate


def other_op(op):
    return {ast.And: ast.Or, ast.Or: ast.And, ast.Add: ast.Sub, ast.Sub: ast.Add}[type(op)]()


def spans(source, node):
    """(kind, [(start, end, replacement)], mutate) for each mutation of `node`; see `replace` for mutate."""
    found = []
    if isinstance(node, ast.Compare):
        operands = [node.left] + node.comparators
        for index, op in enumerate(node.ops):
            flipped = COMPARE_FLIPS.get(type(op))
            token = flipped and find_token(source, source.end(operands[index]), source.start(operands[index + 1]), COMPARE_TOKEN)
            if token:
                found.append(("flip-compare", [token + (COMPARE_TEXT[flipped],)], replace("ops", lambda ops, i=index, f=flipped: ops[:i] + [f()] + ops[i + 1 :])))
    elif isinstance(node, ast.Constant) and type(node.value) is int:
        found.append(("off-by-one", [(source.start(node), source.end(node), str(node.value + 1))], replace("value", lambda value: value + 1)))
    elif isinstance(node, ast.Constant) and type(node.value) is bool:
        found.append(("flip-boolean", [(source.start(node), source.end(node), str(not node.value))], replace("value", lambda value: not value)))
    elif isinstance(node, ast.Return) and node.value is not None and not (isinstance(node.value, ast.Constant) and node.value.value is None):
        start, end = source.start(node.value), source.end(node.value)
        breaks = source.content.count("\n", start, end)
        # Parentheses keep a multi-line value's line count, so later lines keep their numbers.
        text = "(None" + "\n" * breaks + ")" if breaks else "None"
        found.append(("return-none", [(start, end, text)], replace("value", lambda _: ast.Constant(value=None, kind=None))))
    elif isinstance(node, ast.BoolOp):
        other = "or" if isinstance(node.op, ast.And) else "and"
        tokens = [find_token(source, source.end(left), source.start(right), LOGIC_TOKEN) for left, right in zip(node.values, node.values[1:])]
        if all(tokens):
            found.append(("swap-logic", [token + (other,) for token in tokens], replace("op", other_op)))
    elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        token = find_token(source, source.end(node.left), source.start(node.right), ARITH_TOKEN)
        if token:
            found.append(("swap-arith", [token + ("-" if isinstance(node.op, ast.Add) else "+",)], replace("op", other_op)))
    elif isinstance(node, ast.AugAssign) and isinstance(node.op, (ast.Add, ast.Sub)):
        token = find_token(source, source.end(node.target), source.start(node.value), ARITH_TOKEN)
        if token:
            found.append(("swap-arith", [token + ("-=" if isinstance(node.op, ast.Add) else "+=",)], replace("op", other_op)))
    return found


def with_statements(node, statement=None, in_fstring=False):
    """Every node with its innermost enclosing statement, leaving out what is inside f-strings (before
    Python 3.12 their positions do not point into the source text)."""
    for child in ast.iter_child_nodes(node):
        inside = in_fstring or isinstance(child, ast.JoinedStr)
        if not inside:
            yield child, child if isinstance(child, ast.stmt) else statement
        yield from with_statements(child, child if isinstance(child, ast.stmt) else statement, inside)


def find_statement(node, target):
    """The statement of `node`'s tree at `target`'s position and of its type (positions before an edit hold)."""
    position = (target.lineno, target.col_offset)
    for child in ast.iter_child_nodes(node):
        if type(child) is type(target) and (child.lineno, child.col_offset) == position:
            return child
        if getattr(child, "end_lineno", None) is not None and not ((child.lineno, child.col_offset) <= position <= (child.end_lineno, child.end_col_offset)):
            continue
        found = find_statement(child, target)
        if found is not None:
            return found
    return None


def mutate_file(path, content, lines, limit):
    tree = parse(content, path)
    source = Source(content)
    changed = set(lines)
    candidates = []
    for node, statement in with_statements(tree):
        if not hasattr(node, "lineno"):
            continue
        for kind, edits, mutate in spans(source, node):
            line = source.line_of(edits[0][0])
            if line in changed:
                candidates.append((edits[0][0], KINDS.index(kind), kind, line, edits, node, statement, mutate))
    candidates.sort(key=lambda candidate: candidate[:2])
    taken = {kind: 0 for kind in KINDS}
    answer = []
    for _, _, kind, line, edits, node, statement, mutate in candidates:
        if taken[kind] >= limit:
            continue
        mutated = content
        for start, end, text in sorted(edits, reverse=True):
            mutated = mutated[:start] + text + mutated[end:]
        try:
            reparsed = find_statement(ast.parse(mutated), statement)
        except (SyntaxError, ValueError):
            continue
        # The text edit must mean exactly the intended tree edit: compared on the enclosing statement only,
        # since nothing outside it changed.
        original_dump = ast.dump(statement)
        undo = mutate(node)
        expected_dump = ast.dump(statement)
        undo()
        if reparsed is None or ast.dump(reparsed) != expected_dump or expected_dump == original_dump:
            continue
        taken[kind] += 1
        first = source.line_of(min(start for start, _, _ in edits))
        last = source.line_of(max(end for _, end, _ in edits))
        # Every replacement keeps the line count, so the mutant differs from the file in lines first..last only.
        new_lines = mutated.split("\n")[first - 1 : last]
        answer.append(
            {
                "kind": kind,
                "line": line,
                "startLine": first,
                "endLine": last,
                "text": "\n".join(new_lines),
                "original": source.content[edits[0][0] : edits[0][1]],
                # A padded `(None\n)` is shown as what it means.
                "replacement": "None" if kind == "return-none" else edits[0][2],
            }
        )
    return answer


def mutate(files, limit):
    return {"files": [{"path": file["path"], "candidates": mutate_file(file["path"], file["content"], file["lines"], limit)} for file in files]}


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        request = json.load(handle)
    try:
        if request["operation"] == "stub":
            answer = stub(request["files"])
        else:
            answer = mutate(request["files"], request["limit"])
    except InputError as error:
        print(error, file=sys.stderr)
        sys.exit(1)
    json.dump(answer, sys.stdout)


main()
