"""All Qt: the main window, views, dialogs, table models, operations and the task runner."""
