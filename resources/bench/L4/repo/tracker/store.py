import json
import os


def load_tasks(path):
    """The tasks saved at path, or an empty list when the file does not exist yet."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def save_tasks(path, tasks):
    with open(path, "w", encoding="utf-8") as file:
        json.dump(tasks, file, indent=2)
