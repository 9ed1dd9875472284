"""`/docs`: the API documentation as a plain local page built from the OpenAPI schema."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..i18n import translate, translate_french
from ..rendering import render, request_lang

router = APIRouter()


def schema_name(ref_holder: dict) -> str:
    """The model name a response schema points to, or its type."""
    ref = ref_holder.get("$ref") or ref_holder.get("items", {}).get("$ref", "")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        return f"list[{name}]" if "items" in ref_holder else name
    return ref_holder.get("type", "")


def param_constraints(schema: dict, lang: str) -> str:
    """Bounds of a parameter in near words-free notation (min ≤ x ≤ max, length, choices)."""
    parts = []
    labels = (("minimum", "≥"), ("maximum", "≤"), ("maxLength", translate("docs.length", lang)))
    for key, label in labels:
        if key in schema:
            parts.append(f"{label} {schema[key]}")
    if "enum" in schema:
        parts.append(" | ".join(schema["enum"]))
    return ", ".join(parts)


def endpoints(openapi: dict, lang: str) -> list[dict]:
    """Every documented operation: method, path, summary, parameters, response model, the
    catalogue's words in `lang`."""
    found = []
    for path, operations in openapi.get("paths", {}).items():
        for method, operation in operations.items():
            ok = operation.get("responses", {}).get("200", {}).get("content", {})
            schema = next(iter(ok.values()), {}).get("schema", {}) if ok else {}
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": translate_french(operation.get("summary", ""), lang),
                    "description": operation.get("description", ""),
                    "params": [
                        {
                            "name": param["name"],
                            "where": param["in"],
                            "required": param.get("required", False),
                            "description": translate_french(param.get("description", ""), lang),
                            "constraints": param_constraints(param.get("schema", {}), lang),
                        }
                        for param in operation.get("parameters", [])
                    ],
                    "response": schema_name(schema),
                }
            )
    return found


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def api_docs_page(request: Request) -> HTMLResponse:
    """The API reference, rendered server-side: works offline, no external script."""
    lang = request_lang(request)
    return render(request, "apidocs.html", {"endpoints": endpoints(request.app.openapi(), lang)})
