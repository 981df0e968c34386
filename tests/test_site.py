"""The static site: it builds offline with no broken link or image, and every page loads in headless Chromium with
its images rendered, its mathematics typeset and no console error."""
import functools, http.server, os, shutil, subprocess, sys, threading
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).parent/'latentnb'
CHROMIUM = shutil.which('chromium') or '/usr/bin/chromium'
# headless in a closed network: no sandbox (root), no background connections Chromium would try and fail
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync']

@pytest.fixture(scope='module')
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp('site')/'html'
    r = subprocess.run([str(EXE), 'site', '--out', str(out)], cwd=ROOT, capture_output=True, text=True, timeout=3600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return out

def test_site_has_every_part(site):
    pages = {p.relative_to(site).as_posix() for p in site.rglob('*.html')}
    from latentnb.course import lessons
    assert {f'course/{p.stem}.html' for p in lessons()} <= pages
    assert {'index.html', '06_metrics.html', 'gallery/README.html', 'papers/01_jacobsen2022.html'} <= pages
    assert (site/'_static'/'mathjax'/'tex-mml-chtml.js').exists()

def test_site_links_and_images(site):
    from latentnb.site import check_site
    assert check_site(site) == []

@pytest.fixture(scope='module')
def served(site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{server.server_port}'
    server.shutdown()

def test_every_page_in_a_browser(site, served):
    if not os.path.exists(CHROMIUM):
        if os.environ.get('CI'): pytest.fail("chromium is missing on CI: `make browser` installs Debian's package")
        pytest.skip('no chromium here (make browser installs it)')
    from playwright.sync_api import sync_playwright
    problems, math_pages = [], 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        errors = []
        page.on('console', lambda m: errors.append(f'console {m.type}: {m.text}') if m.type == 'error' else None)
        page.on('pageerror', lambda e: errors.append(f'page error: {e}'))
        page.on('requestfailed', lambda r: errors.append(f'request failed: {r.url}'))
        for html in sorted(site.rglob('*.html')):
            rel = html.relative_to(site).as_posix()
            if rel.startswith(('_static/', '_sources/')): continue
            errors.clear()
            response = page.goto(f'{served}/{rel}', wait_until='load')
            if response is None or not response.ok: problems.append(f'{rel}: HTTP {response and response.status}')
            broken = page.evaluate("""async () => {
                const imgs = Array.from(document.images);
                imgs.forEach(i => i.loading = 'eager');
                await Promise.all(imgs.map(i => i.decode().catch(() => null)));
                return imgs.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.getAttribute('src'));
            }""")
            problems += [f'{rel}: image {src} does not render' for src in broken]
            if page.locator('.math').count():
                page.wait_for_function("document.querySelectorAll('.math mjx-container, .math .MathJax').length > 0",
                                       timeout=20000)
                math_pages += 1
            problems += [f'{rel}: {e}' for e in errors]
        browser.close()
    assert not problems, '\n'.join(problems[:20])
    assert math_pages >= 3, f"MathJax typeset only {math_pages} page(s)"
