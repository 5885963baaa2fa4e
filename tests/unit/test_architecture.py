"""The import contracts cover every function of the template: a new feature cannot be born
outside them."""

import tomllib

from infra.local import template


def contracts():
    data = tomllib.loads((template.ROOT / "pyproject.toml").read_text())
    return data["tool"]["importlinter"]


def features() -> set[str]:
    return {props["Handler"].split(".", 1)[0]
            for props in template.resources("AWS::Serverless::Function").values()}


def test_every_function_is_a_feature_under_the_import_contracts():
    config = contracts()
    by_name = {c["name"]: c for c in config["contracts"]}
    assert features() <= set(config["root_packages"])
    assert features() == set(by_name["A feature imports only shared, engine and itself"]
                              ["modules"])
    assert features() <= set(by_name["shared and engine import no feature"]
                              ["forbidden_modules"])
    assert features() <= set(by_name["Only repositories touch boto3"]["source_modules"])
    layered = {c["layers"][0].split(".")[0] for c in config["contracts"]
               if c["type"] == "layers"}
    assert features() <= layered


def test_a_handler_only_includes_routers():
    for feature in features():
        source = (template.ROOT / "functions" / feature / "handler.py").read_text()
        assert "@app." not in source and "@router." not in source, feature
        assert "make_app(" in source and "entry_point(app)" in source, feature


def test_function_requirements_pin_what_the_project_pins():
    """Each function's own requirements (what `sam build` installs) use the project's pins."""
    project = tomllib.loads((template.ROOT / "pyproject.toml").read_text())
    pins = dict(dep.split("==") for dep in project["project"]["dependencies"])
    files = list((template.ROOT / "functions").glob("*/requirements.txt"))
    files += list((template.ROOT / "functions" / "layers").glob("*requirements.txt"))
    assert {f.parent.name for f in files} >= features()
    for file in files:
        for line in file.read_text().split():
            name, version = line.split("==")
            assert pins.get(name) == version, f"{file}: {line} but pyproject pins {pins.get(name)}"
