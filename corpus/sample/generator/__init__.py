"""Generator of the sample corpus: French-report-like PDFs and their layout ground truth."""
