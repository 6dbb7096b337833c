"""Finds what in a `conftest.py` can stop tests from being collected or run, with Python's own `ast` (never imports it).

Input (a JSON file named on the command line): {"files": [{"path": str, "content": str}]}.
Output (stdout): {"files": [{"path", "parseError", "hooks": [{"name", "line", "text"}]}]}, where `text` is the
construct's source as `ast.unparse` prints it (so formatting changes do not count as changes).
"""

import ast
import json
import sys

IGNORE_LISTS = {"collect_ignore", "collect_ignore_glob"}
# Hooks that decide what is collected, kept, or run.
HOOKS = {
    "pytest_ignore_collect", "pytest_collection_modifyitems", "pytest_collect_file", "pytest_collect_directory",
    "pytest_pycollect_makeitem", "pytest_pycollect_makemodule", "pytest_collection", "pytest_deselected",
    "pytest_runtestloop", "pytest_runtest_protocol", "pytest_runtest_setup", "pytest_runtest_call",
    "pytest_cmdline_main", "pytest_cmdline_parse", "pytest_cmdline_preparse", "pytest_load_initial_conftests",
}
# Calls that skip tests or end the run early.
STOPPING_CALLS = {
    "pytest.skip", "pytest.xfail", "pytest.exit", "pytest.importorskip", "sys.exit", "os._exit", "os.abort",
    "exit", "quit",
}


def dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def hook(name, node):
    return {"name": name, "line": node.lineno, "text": " ".join(ast.unparse(node).split())}


def find_hooks(tree):
    hooks = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in HOOKS:
            hooks.append(hook(node.name, node))
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                name = dotted(target.value if isinstance(target, ast.Subscript) else target)
                if name in IGNORE_LISTS:
                    hooks.append(hook(name, node))
                elif name is not None and "option" in name.split(".")[1:]:
                    # `config.option.keyword = ...` rewrites the command line's selection.
                    hooks.append(hook(name, node))
        elif isinstance(node, ast.Call):
            name = dotted(node.func)
            if name in STOPPING_CALLS:
                hooks.append(hook(name, node))
            elif name is not None and name.split(".")[0] in IGNORE_LISTS:
                hooks.append(hook(name.split(".")[0], node))
    return hooks


def analyze(path, content):
    try:
        tree = ast.parse(content, filename=path)
    except (SyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None)
        message = getattr(error, "msg", None) or str(error)
        return {"path": path, "parseError": f"line {line}: {message}" if line else message, "hooks": []}
    return {"path": path, "parseError": None, "hooks": find_hooks(tree)}


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        request = json.load(handle)
    sys.stdout.write(json.dumps({"files": [analyze(item["path"], item["content"]) for item in request["files"]]}))


main()
