"""One PO: page knowledge, browser, session, downloads, folders and names, e-mail conversion, the per-PO job."""
