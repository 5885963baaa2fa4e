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
    assert features() == set(by_name["A feature imports only the kernel, the shared domain, "
                                     "the engine and itself"]["modules"])
    assert features() <= set(by_name["Only repositories touch boto3"]["source_modules"])
    layered = {c["layers"][0].split(".")[0] for c in config["contracts"]
               if c["type"] == "layers"}
    assert features() <= layered


def test_the_layers_are_kernel_domain_engine_features():
    """kernel (shared) <- shared domain <- engine <- features, whose handlers sit on top: the
    kernel knows no member, the domain no feature."""
    (layers,) = [c["layers"] for c in contracts()["contracts"]
                 if c["name"] == "Layers: features -> engine -> shared domain -> kernel"]
    assert [layer.replace(" ", "") for layer in layers[1:]] == ["engine", "domain", "shared"]
    assert set(layers[0].replace(" ", "").split("|")) == features()


def test_every_module_of_the_shared_domain_stores_through_its_repository():
    by_name = {c["name"]: c for c in contracts()["contracts"]}
    modules = {f"domain.{p.stem}" for p in (template.ROOT / "functions" / "domain").glob("*.py")
               if p.stem != "__init__"}
    storing = by_name["The shared domain stores through its repository alone"]
    assert set(storing["source_modules"]) == modules - {"domain.repository", "domain.app"}
    assert "shared.repository" in storing["forbidden_modules"]
    only_handlers = by_name["Only a handler builds the app (domain.app)"]["source_modules"]
    assert modules - {"domain.app"} <= set(only_handlers)


def test_a_features_own_parts_are_in_its_layers():
    """What sits beside routes, logic and repository (members' rules, the providers of
    contract and services) is in the feature's layers too."""
    layered = {part for c in contracts()["contracts"] if c["type"] == "layers"
               for layer in c["layers"] for part in layer.replace(" ", "").split("|")}
    for feature in features():
        folder = template.ROOT / "functions" / feature
        parts = {p.stem for p in folder.glob("*.py")} | {p.name for p in folder.iterdir()
                                                         if (p / "__init__.py").exists()}
        for part in parts - {"__init__", "models"}:
            assert f"{feature}.{part}" in layered, f"{feature}.{part} is under no layer"


def http_features() -> set[str]:
    """The features whose functions answer HTTP routes (the outbox's answer a stream and a
    queue: no app, no handler)."""
    return {props["Handler"].split(".", 1)[0]
            for props in template.resources("AWS::Serverless::Function").values()
            if any(e.get("Type") == "HttpApi" for e in (props.get("Events") or {}).values())}


def test_a_handler_only_includes_routers():
    assert features() - http_features() == {"outbox"}
    for feature in http_features():
        source = (template.ROOT / "functions" / feature / "handler.py").read_text()
        assert "@app." not in source and "@router." not in source, feature
        assert "make_app(" in source and "entry_point(app)" in source, feature
        assert "from domain.app import entry_point, make_app" in source, feature


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
