import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"
SAMPLE_TXT = ROOT / "tests" / "data" / "samples" / "vhsl-p71.txt"


@pytest.fixture(scope="session")
def nlp():
    from pipeline.nlp import get_nlp
    return get_nlp()


@pytest.fixture(scope="session")
def analyse_text(nlp):
    """text -> parsed Doc through the whole project pipeline."""
    def run(text, issue_date=None):
        d = nlp.make_doc(text)
        d._.issue_date = issue_date
        return nlp(d)
    return run


@pytest.fixture(scope="session")
def extract(nlp):
    from pipeline import extract_text
    return extract_text


def load_json(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))
