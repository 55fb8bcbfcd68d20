"""A warm run equals a cold one however the tree changed: each change below once made the
results cache stale (a lookup that found nothing was not part of the key), and now also
must not fool the reuse of the whole last run (which skips analysis on an unchanged tree).

Each test checks (warm, filling the cache), changes the tree, then checks warm and with
`--no-cache`: the two reports must be identical, and where the change adds a finding, it
must be there.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from test_cli import promptlint

FILLER = (
    "You are a helpful assistant. It is very important that you always make sure to answer with exactly one word. "
    "Please note that in order to help, due to the fact that tickets vary, you should basically just answer."
)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def findings(root: Path, *extra: str) -> list[tuple[str, int, str]]:
    run = promptlint("check", ".", "--output-format", "json", "--exit-zero", *extra, cwd=root)
    assert run.code in (0, 2), run.err
    return sorted((f["filename"], f["location"]["row"], f["code"]) for f in run.json())


def warm_equals_cold(root: Path, change: dict[str, str]) -> list[tuple[str, int, str]]:
    findings(root)  # fills the cache
    findings(root)  # and reuses it
    write(root, change)
    warm = findings(root)
    assert warm == findings(root, "--no-cache")
    return warm


CALL = '''
from openai import OpenAI
{imports}

client = OpenAI()

def classify(ticket):
    return client.chat.completions.create(
        model="gpt-6-luna",
        messages=[{{"role": "system", "content": {system}}}, {{"role": "user", "content": ticket}}],
    )
'''


def test_a_module_an_import_names_is_created(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": CALL.format(imports="from prompts import SYSTEM", system="SYSTEM")})
    assert findings(tmp_path) == []
    after = warm_equals_cold(tmp_path, {"prompts.py": f"SYSTEM = {FILLER!r}\n"})
    assert ("prompts.py", 1, "PRM101") in after


def test_a_missing_prompt_file_is_created(tmp_path: Path) -> None:
    system = '(Path(__file__).parent / "system.txt").read_text()'
    write(tmp_path, {"app.py": CALL.format(imports="from pathlib import Path", system=system)})
    after = warm_equals_cold(tmp_path, {"system.txt": FILLER + "\n"})
    assert any(code == "PRM101" for _, _, code in after)


def test_a_syntax_error_in_an_imported_module_is_fixed(tmp_path: Path) -> None:
    write(tmp_path, {
        "app.py": CALL.format(imports="from prompts import SYSTEM", system="SYSTEM"),
        "prompts.py": f"SYSTEM = {FILLER!r}\ndef broken(:\n",
    })
    after = warm_equals_cold(tmp_path, {"prompts.py": f"SYSTEM = {FILLER!r}\n"})
    assert ("prompts.py", 1, "PRM101") in after


def test_an_init_module_is_added(tmp_path: Path) -> None:
    write(tmp_path, {
        "shop/web.py": """
            from fastapi import FastAPI
            from shop.llm import answer

            app = FastAPI()

            @app.post("/ask")
            def ask(question: str):
                return answer(question)
            """,
        "shop/llm.py": """
            from openai import OpenAI

            client = OpenAI()

            def answer(question):
                reply = client.chat.completions.create(model="gpt-6-luna", messages=[{"role": "user", "content": question}])
                return reply.choices[0].message.content
            """,
    })
    after = warm_equals_cold(tmp_path, {"shop/__init__.py": ""})
    assert any(code == "PRM301" for _, _, code in after)


def test_a_module_that_shadows_the_imported_one_is_added(tmp_path: Path) -> None:
    write(tmp_path, {
        "app.py": CALL.format(imports="from prompts import SYSTEM", system="SYSTEM"),
        "src/prompts.py": 'SYSTEM = "Answer with one word."\n',
    })
    warm_equals_cold(tmp_path, {"prompts.py": f"SYSTEM = {FILLER!r}\n"})


def test_a_prompt_file_is_edited(tmp_path: Path) -> None:
    system = '(Path(__file__).parent / "system.txt").read_text()'
    write(tmp_path, {"app.py": CALL.format(imports="from pathlib import Path", system=system), "system.txt": "Answer with one word.\n"})
    assert findings(tmp_path) == []
    after = warm_equals_cold(tmp_path, {"system.txt": FILLER + "\n"})
    assert any(code == "PRM101" for _, _, code in after)
