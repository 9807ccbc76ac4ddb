"""台账导入导出 area: the organization ledger in and out of Excel (.xlsx, .xls, .csv).

``plan.plan_import`` reads a file and says per row 新增 / 更新 / 不变 / 拒绝 (writing nothing);
``apply.apply_plan`` writes a plan in one transaction; ``export.export_ledger`` writes a ledger filter's
organizations to .xlsx.  The area stands on ``orgs`` (its validation, its writes, its ledger filter) and
``core``; modules: ``reading`` (files -> raw rows), ``columns`` / ``headers`` (headers and their
synonyms), ``cells`` / ``rows`` (values), ``existing`` (matching), ``plan``, ``apply``, ``export``.
"""
