import argparse

from tracker.store import load_tasks, save_tasks


def build_parser():
    parser = argparse.ArgumentParser(prog="tracker", description="Track tasks in a JSON file.")
    parser.add_argument("--file", default="tasks.json", help="the JSON file the tasks are kept in")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="add a task")
    add.add_argument("title")
    return parser


def cmd_add(args):
    tasks = load_tasks(args.file)
    task = {"id": len(tasks) + 1, "title": args.title, "done": False}
    tasks.append(task)
    save_tasks(args.file, tasks)
    print(f"Added task {task['id']}: {task['title']}")
    return 0


COMMANDS = {"add": cmd_add}


def main(argv=None):
    """Runs one command; returns the process exit status."""
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command](args)
