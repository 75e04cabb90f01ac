"""Reading the golden query cases of tests/queries/ (shared by run_queries.py and
make_expected.py). The file format is described in tests/queries/README.md.
Python 3.11 standard library only."""

import os
import shlex
import shutil
import subprocess
import sys
import tempfile

DEFAULT_DATASET = "testdata/samples/cloudtrail-sample.ndjson"

# Datasets too large to check in, made by the deterministic generators of testdata/ the first
# time a case names them (into tests/queries/generated/, which git ignores). They are large
# enough to cross every size threshold of the search and stats code (see
# tests/queries/README.md), so both sides of each are compared with the oracle.
GENERATED_DIR = "tests/queries/generated"
GENERATED = {
    GENERATED_DIR + "/vpcflow-6000": ["testdata/gen_vpcflow.py", "--records", "6000", "--seed", "11"],
    GENERATED_DIR + "/vpcflow-20000": ["testdata/gen_vpcflow.py", "--records", "20000", "--seed", "12"],
    GENERATED_DIR + "/cloudfront-3000": ["testdata/gen_cloudfront.py", "--records", "3000", "--seed", "11"],
    GENERATED_DIR + "/s3access-3000": ["testdata/gen_s3access.py", "--records", "3000", "--seed", "11"],
}


def ensure_datasets(root, datasets):
    """Generates each dataset of GENERATED that `datasets` names and that is not there yet.
    Written to a temporary folder first and renamed, so parallel runs never see half a file."""
    for name in datasets:
        if name not in GENERATED or os.path.isdir(os.path.join(root, name)):
            continue
        parent = os.path.join(root, GENERATED_DIR)
        os.makedirs(parent, exist_ok=True)
        tmp = tempfile.mkdtemp(prefix=".gen-", dir=parent)
        cmd = [sys.executable, os.path.join(root, GENERATED[name][0])] + GENERATED[name][1:] + ["--out", tmp]
        subprocess.run(cmd, check=True, capture_output=True)
        try:
            os.rename(tmp, os.path.join(root, name))
        except OSError:  # another run made it first
            shutil.rmtree(tmp, ignore_errors=True)
EXPECT_KINDS = ("count", "ids", "table", "error")
# the options a case may give in `# options:`; the paths are relative to the repository root
OPTION_NAMES = ("--earliest", "--latest", "--macros", "--lookups", "--lookup-definitions")
PATH_OPTIONS = ("--macros", "--lookups", "--lookup-definitions")


class CaseError(Exception):
    pass


class Case:
    def __init__(self, path, rel):
        self.path = path                # absolute path of the .spl file
        self.rel = rel                  # path relative to tests/queries/
        self.datasets = []              # paths relative to the repository root
        self.expect = None              # count | ids | table | error
        self.options = []               # extra search options, e.g. ["--earliest", "..."]
        self.index_name = "main"        # the `index` field the events get at ingest
        self.query = ""
        self.macros = []                # --macros paths, relative to the repository root
        self.lookups = None             # --lookups folder, relative to the repository root
        self.lookup_definitions = None  # --lookup-definitions path, relative to the root
        self.props = None               # a props.conf put in the index, relative to the root

    @property
    def index_key(self):
        """What the case's index is made of: cases with the same key share one index."""
        return (tuple(self.datasets), self.index_name, self.props)

    def oracle_options(self, root):
        """Keyword arguments of spl_pipeline_oracle.run/table_text: the paths made absolute."""
        return {
            "macros": [os.path.join(root, m) for m in self.macros],
            "lookups": os.path.join(root, self.lookups) if self.lookups else None,
            "lookup_definitions": os.path.join(root, self.lookup_definitions) if self.lookup_definitions else None,
        }

    def cairn_options(self, root, lookups_copy=None):
        """The `cairn search` options: the paths made absolute, --lookups replaced by
        lookups_copy (a fresh copy of the folder, which outputlookup may write to)."""
        out, opts = [], self.options
        for i in range(0, len(opts), 2):
            opt, value = opts[i], opts[i + 1]
            if opt == "--lookups":
                value = lookups_copy or os.path.join(root, value)
            elif opt in PATH_OPTIONS:
                value = os.path.join(root, value)
            out += [opt, value]
        return out

    @property
    def out_path(self):
        return self.path[: -len(".spl")] + ".out"

    def read_expected(self):
        with open(self.out_path, encoding="utf-8") as f:
            return f.read()


def parse_case(path, rel):
    case = Case(path, rel)
    query_lines = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    in_header = True
    for line in lines:
        stripped = line.strip()
        if in_header and stripped.startswith("#"):
            body = stripped[1:].strip()
            key, sep, value = body.partition(":")
            key, value = key.strip().lower(), value.strip()
            if sep and key == "dataset":
                case.datasets.extend(value.split())
            elif sep and key == "expect":
                case.expect = value
            elif sep and key == "options":
                case.options = shlex.split(value)
            elif sep and key == "index":
                case.index_name = value
            elif sep and key == "props":
                case.props = value
            # any other comment line is a description
            continue
        if in_header and stripped == "":
            continue
        in_header = False
        if stripped:
            query_lines.append(stripped)
    case.query = " ".join(query_lines)
    if not case.datasets:
        case.datasets = [DEFAULT_DATASET]
    if case.expect not in EXPECT_KINDS:
        raise CaseError("%s: '# expect:' must be one of %s" % (rel, ", ".join(EXPECT_KINDS)))
    i = 0
    while i < len(case.options):
        opt = case.options[i]
        if opt not in OPTION_NAMES:
            raise CaseError("%s: '# options:' takes only %s (each with a value), not %r"
                            % (rel, ", ".join(OPTION_NAMES), opt))
        if i + 1 >= len(case.options) or case.options[i + 1].startswith("--"):
            raise CaseError("%s: %s needs a value in '# options:'" % (rel, opt))
        value = case.options[i + 1]
        if opt in PATH_OPTIONS and os.path.isabs(value):
            raise CaseError("%s: %s takes a path relative to the repository root" % (rel, opt))
        if opt == "--macros":
            case.macros.append(value)
        elif opt == "--lookups":
            case.lookups = value
        elif opt == "--lookup-definitions":
            case.lookup_definitions = value
        i += 2
    return case


def find_cases(queries_dir):
    cases = []
    for dirpath, dirnames, filenames in os.walk(queries_dir):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".spl"):
                path = os.path.join(dirpath, name)
                cases.append(parse_case(path, os.path.relpath(path, queries_dir)))
    return cases


def format_ids(ids):
    """The text of an `ids` expectation: the count, then the sorted eventIDs."""
    ids = sorted(ids)
    return "".join("%s\n" % x for x in [len(ids)] + ids)


def option_value(options, name):
    for i, opt in enumerate(options):
        if opt == name and i + 1 < len(options):
            return options[i + 1]
    return None
