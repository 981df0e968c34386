"""The course: every lesson runs in its class-size budget, every exercise's check fails on the stub and passes on the
solution, and the student edition carries no solution and fails its checks as written."""
import json, os, subprocess, sys, time
from pathlib import Path
import nbformat, pytest

ROOT = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).parent/'latentnb'
LESSON_BUDGET_S = 120  # the classroom limit on the CI machine (2 cores)

def run(*args, **kw):
    return subprocess.run([str(EXE), *args], cwd=ROOT, capture_output=True, text=True, **kw)

@pytest.fixture(scope='module')
def course_check(tmp_path_factory):
    "The harness on every lesson (with a cold data cache), and the table it prints."
    env = {**os.environ, 'LATENTNB_DATA': str(tmp_path_factory.mktemp('cache'))}
    start = time.time()
    r = run('course', 'check', env=env, timeout=3600)
    return r, time.time() - start

def test_every_exercise_is_checked(course_check):
    r, _ = course_check
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    rows = [l.split() for l in r.stdout.splitlines() if l.endswith('s') and l[:2].isdigit()]
    assert len(rows) >= 6, r.stdout
    for lesson, n, stubs_fail, solutions_pass, seconds in rows:
        assert 3 <= int(n) <= 5, f"{lesson}: {n} exercises (3-5 wanted)"
        assert int(stubs_fail) == int(solutions_pass) == int(n), lesson
        assert float(seconds[:-1]) <= LESSON_BUDGET_S, f"{lesson} took {seconds}, over the {LESSON_BUDGET_S} s budget"

def test_lessons_state_goals_paper_and_summary():
    from latentnb.course import lessons
    found = lessons()
    assert len(found) >= 6
    for path in found:
        nb = nbformat.read(path, as_version=4)
        first, text = nb.cells[0].source, '\n'.join(c.source for c in nb.cells if c.cell_type == 'markdown')
        assert first.startswith('# Lesson ') and '\n> ' in first, f"{path.name}: title and one-line summary"
        for part in ('**After this lesson you can:**', '**Paper:**'): assert part in first, f"{path.name}: {part}"
        assert '## Summary' in text and '## Exercises' in text, path.name

def test_student_edition(tmp_path, course_check):
    "The one command writes every lesson without solutions; run as written, every check cell of one lesson fails."
    from latentnb.course import BEGIN, MD_BEGIN, exercises, is_check, lessons, project_kernel
    r = run('course', 'student', '--out', str(tmp_path))
    assert r.returncode == 0, r.stderr
    written = sorted(tmp_path.glob('*.ipynb'))
    assert [p.name for p in written] == [p.name for p in lessons()]
    for path in written:
        text = path.read_text()
        assert BEGIN not in text and MD_BEGIN not in text and 'raise NotImplementedError()' in text, path.name
    # the quickest lesson, executed as a student would find it: each check cell ends in an error
    executed = {p.name: nbformat.read(ROOT/'_build'/'executed'/'course'/p.name, as_version=4) for p in written}
    quickest = min(written, key=lambda p: executed[p.name].metadata['latentnb']['seconds'])
    from nbclient import NotebookClient
    nb = nbformat.read(quickest, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name=project_kernel(), allow_errors=True,
                   resources={'metadata': {'path': str(ROOT/'nbs'/'course')}}).execute()
    checks = [c for c in nb.cells if is_check(c)]
    assert checks and all(any(o.output_type == 'error' for o in c.outputs) for c in checks), quickest.name
    ran_ok = [c for c in nb.cells if c.cell_type == 'code' and not is_check(c) and 'NotImplementedError' not in c.source]
    assert all(not any(o.output_type == 'error' for o in c.outputs) for c in ran_ok), "only exercises may fail"

def test_bad_lesson_name():
    r = run('course', 'check', 'no_such_lesson')
    assert r.returncode == 2 and 'no lesson' in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
