"""Many machines: nodes (`node`) run the per-PO job as Celery tasks; `submit` enqueues a spreadsheet and `collect`
journals the results and writes the report; `protocol` is all that the two sides share."""
