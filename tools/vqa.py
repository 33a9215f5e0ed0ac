"""Image-question scoring for the coherence evaluation (the DialogGen paper's Eq. 2).

:class:`VQAScorer` wraps a BLIP-VQA model (``BlipForQuestionAnswering`` + ``BlipProcessor``,
default ``Salesforce/blip-vqa-base``). ``score(image, question, answer)`` is the model's
probability of the *expected* answer:

- a ``yes``/``no`` answer: a two-way softmax over the decoder's first answer token,
  ``P(yes) / (P(yes) + P(no))`` (or the reverse for ``no``), so the score is the share of
  belief the model puts on the right side of the question;
- any other answer: the length-normalised likelihood of its tokens and the end marker,
  ``exp(mean log p(token))``, so short and long answers compare.

Questions about one image run as one batch (the image is encoded once).

:class:`CLIPScorer` is an optional second metric: the CLIP score of an image and a text,
``100 * max(cos(image, text), 0)`` (the torchmetrics convention).

Models load from a local folder or a hub id already in the local cache (downloaded only
when the hub is not offline); CUDA (float16) when present, else CPU (float32). torch and
transformers are imported inside functions only.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence, Union

from ..agent.errors import ConfigError, ModelUnavailableError
from ..agent.hub import hub_offline, looks_like_path, torch_device

if TYPE_CHECKING:  # pragma: no cover
    from PIL.Image import Image

DEFAULT_VQA = "Salesforce/blip-vqa-base"
YES_NO = {"yes": "no", "no": "yes"}


def _require_torch(what: str) -> None:
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as exc:
        raise ConfigError(f"The {what} needs torch and transformers: pip install 'dialoggen[local]'.") from exc


def load_pretrained(loaders: Sequence[Callable[..., Any]], target: str, missing: str, **kwargs: Any) -> list[Any]:
    """``[loader.from_pretrained(target) for loader in loaders]``: a local folder, or a hub id
    from the local cache first (downloaded only when the hub is not offline). Raises
    :class:`ConfigError` with ``missing`` when it cannot be found."""
    if looks_like_path(target):
        folder = Path(target).expanduser()
        if not (folder / "config.json").is_file():
            raise ConfigError(missing)
        source = str(folder.resolve())
    else:
        source = target
    try:
        try:
            return [cls.from_pretrained(source, local_files_only=True, **kwargs) for cls in loaders]
        except (OSError, ValueError):
            if source != target or hub_offline():
                raise
            return [cls.from_pretrained(source, **kwargs) for cls in loaders]  # download once
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(missing) from exc


def _rgb(image: Union["Image", str, Path]) -> "Image":
    from PIL import Image, UnidentifiedImageError

    if isinstance(image, (str, Path)):
        try:
            with Image.open(image) as im:
                return im.convert("RGB")
        except (OSError, UnidentifiedImageError) as exc:
            raise ModelUnavailableError(f"The image {image} could not be read: check that the file is a picture.") from exc
    return image.convert("RGB")


class VQAScorer:
    """BLIP-VQA: the probability that the model gives the expected answer to a question."""

    def __init__(self, model_id_or_path: str = DEFAULT_VQA, device: Optional[str] = None) -> None:
        _require_torch("VQA scorer")
        from transformers import BlipForQuestionAnswering, BlipProcessor

        import torch

        self.name = model_id_or_path
        auto_device, dtype = torch_device()
        self.device = device or auto_device
        self.dtype = dtype if self.device.startswith("cuda") else torch.float32
        missing = (
            f"No BLIP-VQA model at '{model_id_or_path}': give a local folder (config.json and processor files) "
            f"or a hub id you have downloaded, e.g. --vqa {DEFAULT_VQA}."
        )
        model, self.processor = load_pretrained([BlipForQuestionAnswering, BlipProcessor], model_id_or_path, missing)
        self.model = model.to(self.device, dtype=self.dtype).eval()
        text_config = self.model.config.text_config
        self.bos_id = int(self.model.decoder_start_token_id)
        self.sep_id = int(text_config.sep_token_id)
        self.pad_id = int(text_config.pad_token_id)
        self._lock = threading.Lock()

    # ---------- tokens ----------
    def _answer_ids(self, answer: str) -> list[int]:
        """``[bos] + answer tokens + [sep]``: the decoder's sequence for ``answer``."""
        ids = self.processor.tokenizer(answer.strip().lower(), add_special_tokens=False)["input_ids"]
        return [self.bos_id, *ids, self.sep_id]

    def _first_token(self, word: str) -> int:
        ids = self.processor.tokenizer(word, add_special_tokens=False)["input_ids"]
        return int(ids[0]) if ids else int(self.processor.tokenizer.unk_token_id)

    # ---------- scoring ----------
    def score(self, image: Union["Image", str, Path], question: str, answer: str) -> float:
        """The probability (0..1) that the model answers ``question`` about ``image`` with ``answer``."""
        return self.score_many(image, [(question, answer)])[0]

    def score_many(self, image: Union["Image", str, Path], qa: Sequence[tuple[str, str]]) -> list[float]:
        """:meth:`score` for several (question, answer) pairs about one image, in one batch."""
        import torch

        if not qa:
            return []
        questions = [q for q, _ in qa]
        answers = [a.strip().lower() for _, a in qa]
        inputs = self.processor(images=[_rgb(image)], text=questions, return_tensors="pt", padding=True)
        pixel_values = inputs["pixel_values"].to(self.device, dtype=self.dtype)
        q_ids = inputs["input_ids"].to(self.device)
        q_mask = inputs["attention_mask"].to(self.device)
        seqs = [self._answer_ids(a) for a in answers]
        width = max(len(s) for s in seqs)
        a_ids = torch.full((len(seqs), width), self.pad_id, dtype=torch.long)
        a_mask = torch.zeros((len(seqs), width), dtype=torch.long)
        for i, s in enumerate(seqs):
            a_ids[i, : len(s)] = torch.tensor(s)
            a_mask[i, : len(s)] = 1
        a_ids, a_mask = a_ids.to(self.device), a_mask.to(self.device)
        with self._lock, torch.inference_mode():
            image_embeds = self.model.vision_model(pixel_values=pixel_values).last_hidden_state
            image_embeds = image_embeds.expand(len(qa), -1, -1)
            image_mask = torch.ones(image_embeds.shape[:-1], dtype=torch.long, device=self.device)
            question_embeds = self.model.text_encoder(
                input_ids=q_ids, attention_mask=q_mask, encoder_hidden_states=image_embeds, encoder_attention_mask=image_mask
            ).last_hidden_state
            logits = self.model.text_decoder(
                input_ids=a_ids, attention_mask=a_mask, encoder_hidden_states=question_embeds, encoder_attention_mask=q_mask
            ).logits.float()
        logp = torch.log_softmax(logits[:, :-1], dim=-1)  # position t predicts token t + 1
        targets = a_ids[:, 1:]
        token_logp = logp.gather(-1, targets.unsqueeze(-1)).squeeze(-1) * a_mask[:, 1:]
        scores: list[float] = []
        for i, answer in enumerate(answers):
            if answer in YES_NO:
                first = logp[i, 0]
                right, wrong = first[self._first_token(answer)], first[self._first_token(YES_NO[answer])]
                scores.append(float(torch.sigmoid(right - wrong)))
            else:
                n = int(a_mask[i, 1:].sum())
                scores.append(float(torch.exp(token_logp[i].sum() / max(n, 1))))
        return scores


class CLIPScorer:
    """CLIP score of an image and a text: ``100 * max(cos, 0)`` of their embeddings."""

    def __init__(self, model_id_or_path: str, device: Optional[str] = None) -> None:
        _require_torch("CLIP scorer")
        from transformers import CLIPModel, CLIPProcessor

        import torch

        self.name = model_id_or_path
        auto_device, dtype = torch_device()
        self.device = device or auto_device
        self.dtype = dtype if self.device.startswith("cuda") else torch.float32
        missing = f"No CLIP model at '{model_id_or_path}': give a local folder or a hub id you have downloaded, e.g. --clip openai/clip-vit-base-patch32."
        model, self.processor = load_pretrained([CLIPModel, CLIPProcessor], model_id_or_path, missing)
        self.model = model.to(self.device, dtype=self.dtype).eval()
        self._lock = threading.Lock()

    def score(self, image: Union["Image", str, Path], text: str) -> float:
        import torch

        inputs = self.processor(text=[text], images=[_rgb(image)], return_tensors="pt", padding=True, truncation=True)
        with self._lock, torch.inference_mode():
            img = self.model.get_image_features(pixel_values=inputs["pixel_values"].to(self.device, dtype=self.dtype))
            txt = self.model.get_text_features(input_ids=inputs["input_ids"].to(self.device), attention_mask=inputs["attention_mask"].to(self.device))
        img, txt = _features(img), _features(txt)
        cos = torch.nn.functional.cosine_similarity(img.float(), txt.float()).item()
        return 100.0 * max(cos, 0.0)


def _features(out: Any) -> Any:
    """The embedding tensor (transformers 5 may return a model output instead of a tensor)."""
    if hasattr(out, "pooler_output") and not hasattr(out, "shape"):
        return out.pooler_output
    return out
