"""党建指导员工作台 — desktop client for street-level party-building instructors."""

APP_NAME = "党建指导员工作台"
APP_ID = "dangjian-workbench"
__version__ = "0.1.0"
