// The case file: the whole case as one PDF (and a ZIP with its evidence), as the person asking may see it.
export {};
