"""Bundled sample corpus (``sample_corpus.jsonl``), used by ``kg demo``."""
