"""What a test-wise reader of a question notices without knowing the answer: length, absolute
and hedging words, a reason clause, "safety-first" wording, words shared with the prompt or the
other options. Plain functions of a text and its language; the strategies in `strategies.py`
turn them into answers. Word lists are deliberately broad: a cue counts if a guesser would
notice it, not only if a grammarian would."""

from __future__ import annotations

import re
from functools import cache

_WORDS = {
    "absolute": {
        "zh-Hans": "一定 必须 只要 任何 所有 绝对 永远 从不 从来 总是 完全 只有 肯定 全部 一律 凡是 "
        "无论 一切 都要 都能 都可以 都不 全都 彻底 决不 绝不 一概 根本 马上 立刻 唯一",
        "en": "always never must any anyone anything every everyone everything all only completely nothing "
        "nobody none whatever entirely certainly definitely immediately sole",
    },
    "hedge": {
        "zh-Hans": "可能 一般 通常 往往 也许 尽量 多数 大多 有时 不一定 未必 或许 视情况 可以",
        "en": "may might usually often generally most can could sometimes likely tend",
    },
    "reason": {
        "zh-Hans": "因为 以免 免得 这样 才能 以便 为了 否则 毕竟 由于 所以 不然 因此 既然",
        "en": "because so otherwise since in-case that-way to-avoid therefore",
    },
    "caution": {
        "zh-Hans": "核实 确认 核对 先不 不要 别 私下 私聊 老师 报警 举报 保存 截图 删除 不转发 不点 "
        "不付 停下 咨询 联系 问清 谨慎 小心 冷静 验证",
        "en": "check verify confirm don't do-not privately teacher police report save screenshot delete stop "
        "ask contact careful calm",
    },
    "negation": {
        "zh-Hans": "不 没 别 无 非 未",
        "en": "not n't no never",
    },
}


@cache
def _pattern(kind: str, lang: str) -> re.Pattern[str]:
    words = [w.replace("-", " ") for w in _WORDS[kind]["en" if lang == "en" else "zh-Hans"].split()]
    words.sort(key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    if lang == "en":
        return re.compile(rf"(?<![a-z])(?:{alternatives})(?![a-z])", re.IGNORECASE)
    return re.compile(alternatives)


def count(kind: str, text: str, lang: str) -> int:
    """How many words of `kind` (absolute, hedge, reason, caution, negation) `text` holds."""
    if lang == "en" and kind == "negation":
        return len(re.findall(r"n't|(?<![a-z])(?:not|no|never)(?![a-z])", text, re.IGNORECASE))
    return len(_pattern(kind, lang).findall(text))


def has(kind: str, text: str, lang: str) -> bool:
    return count(kind, text, lang) > 0


_SPACE = re.compile(r"\s+")


@cache
def length(text: str) -> int:
    """Visible length: characters without spaces, so Chinese is counted in characters. Cached:
    the guessing report measures the same few hundred choices in every simulated attempt."""
    return len(_SPACE.sub("", text))


def tokens(text: str, lang: str) -> frozenset[str]:
    """What two texts can share: lower-case words in English, character pairs in Chinese."""
    if lang == "en":
        return frozenset(re.findall(r"[a-z0-9']+", text.lower()))
    han = re.sub(r"[^\w]", "", text)
    return frozenset(han[i : i + 2] for i in range(len(han) - 1))


def overlap(a: str, b: str, lang: str) -> float:
    """Jaccard similarity of two texts' tokens, 0 to 1."""
    ta, tb = tokens(a, lang), tokens(b, lang)
    return len(ta & tb) / len(ta | tb) if ta | tb else 0.0
