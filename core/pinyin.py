"""Pinyin order for names of people and clients (issue 15).

Chinese readers look names up in pinyin order (华 hua before 王 wang before
张 zhang), not in the order of their Unicode code points. Both databases
sort a stored key instead of the name: `pinyin_key(text)` is computed in
Python when the row is saved (PinyinKeyField), so SQLite and PostgreSQL
order alike without an ICU collation.

The key is lower-case ASCII letters and digits only, so every collation a
database may use (binary, C.UTF-8, en_US.UTF-8, ICU) compares it the same
way, character by character:

- a Chinese character is its pinyin syllable followed by its tone (1-4, 5
  for the neutral tone; ü is written v): 华 hua2, 王 wang2, 绿 lv4. The tone
  digit ends the syllable, and digits sort before letters, so a shorter
  syllable comes first (华 hua2 before 黄 huang2), syllable by syllable as
  in a dictionary;
- a run of Latin letters and digits is written as is, lower case, accents
  removed, followed by 0: Latin names sort among the Chinese ones by their
  spelling, just before the characters read the same way (Wang before 王);
- other letters (Cyrillic, kana...) are written as "zz" and their code point
  in hex, after every Latin and pinyin spelling; spaces and punctuation
  separate words and leave no trace.

Readings come from pypinyin (its phrase dictionary picks the reading of
polyphonic characters inside words: 重庆 chong2qing4). A person's surname is
read as a surname (`person=True`): 单 shan4, 曾 zeng1, 解 xie4... (the
common polyphonic surnames, SURNAME_READINGS).

Equal keys (张伟 and 章伟 are both zhang1wei3) are ordered by the name
itself, then the primary key: order by (key, name, pk)."""
import functools
import unicodedata

from django.db import models

# Long enough to order any two names that differ in their first ~40
# characters (a Chinese character takes up to 7: zhuang1).
KEY_LENGTH = 255

# Surnames read otherwise than as the character's most common reading
# (百家姓; pypinyin reads 单 dan1, 曾 ceng2, 解 jie3...). Compound surnames
# first: the longest match wins.
SURNAME_READINGS = {
    "单于": ("chan2", "yu2"),
    "尉迟": ("yu4", "chi2"),
    "万俟": ("mo4", "qi2"),
    "长孙": ("zhang3", "sun1"),
    "令狐": ("ling2", "hu2"),
    "单": ("shan4",),
    "曾": ("zeng1",),
    "解": ("xie4",),
    "仇": ("qiu2",),
    "区": ("ou1",),
    "朴": ("piao2",),
    "查": ("zha1",),
    "乐": ("yue4",),
    "缪": ("miao4",),
    "覃": ("qin2",),
    "盖": ("ge3",),
    "召": ("shao4",),
    "种": ("chong2",),
    "员": ("yun4",),
    "秘": ("bi4",),
    "翟": ("zhai2",),
    "祭": ("zhai4",),
    "繁": ("po2",),
    "句": ("gou1",),
    "折": ("she2",),
    "黑": ("he4",),
    "华": ("hua4",),
    "任": ("ren2",),
    "纪": ("ji3",),
    "过": ("guo1",),
    "燕": ("yan1",),
    "冼": ("xian3",),
    "柏": ("bai3",),
    "宁": ("ning4",),
    "尉": ("wei4",),
    "隗": ("wei3",),
    "谌": ("chen2",),
    "那": ("na1",),
    "藏": ("zang4",),
    "牟": ("mou2",),
}
_LONGEST_SURNAME = max(len(surname) for surname in SURNAME_READINGS)

def _is_han(character):
    code = ord(character)
    return (
        0x4E00 <= code <= 0x9FFF  # CJK Unified Ideographs
        or 0x3400 <= code <= 0x4DBF  # Extension A
        or 0x20000 <= code <= 0x3134F  # Extensions B-G
        or 0xF900 <= code <= 0xFAFF  # Compatibility Ideographs
        or character == "〇"
    )


def _han_syllables(text):
    """The readings of a run of Chinese characters, one per character."""
    from pypinyin import Style, lazy_pinyin  # loaded when a name is saved, not at start-up

    # Tone marks, converted by _tone3 (cached): twice as fast as Style.TONE3.
    readings = lazy_pinyin(text, style=Style.TONE, errors=lambda chars: list(chars))
    if len(readings) != len(text):  # never seen; keep one reading per character
        readings = [lazy_pinyin(character, style=Style.TONE)[0] for character in text]
    return [_tone3(reading) for reading in readings]


@functools.lru_cache(maxsize=4096)
def _tone3(reading):
    """huá → hua2, lǜ → lv4, ma → ma5 (the neutral tone); a character
    pypinyin does not know stays itself (zz + hex)."""
    from pypinyin.contrib.tone_convert import to_tone3  # public (documented) since 0.28

    tone3 = to_tone3(reading, v_to_u=False, neutral_tone_with_five=True)
    plain = "".join(char for char in unicodedata.normalize("NFKD", tone3) if not unicodedata.combining(char))
    return plain if plain.isascii() and plain.isalnum() else _other_letter(reading)


def _other_letter(character):
    return "".join(f"zz{ord(char):06x}" for char in character)


def _latin(text):
    """A non-Chinese run: each word of ASCII letters and digits (accents
    removed) followed by 0; any other letter as zz + its code point."""
    tokens = []
    word = []
    for character in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(character):
            continue
        if character.isascii() and character.isalnum():
            word.append(character)
            continue
        if word:
            tokens.append("".join(word) + "0")
            word = []
        if not character.isascii() and character.isalnum():
            tokens.append(_other_letter(character))
    if word:
        tokens.append("".join(word) + "0")
    return "".join(tokens)


def _surname(text):
    for length in range(min(_LONGEST_SURNAME, len(text)), 0, -1):
        if text[:length] in SURNAME_READINGS:
            return length, SURNAME_READINGS[text[:length]]
    return 0, ()


def pinyin_key(text, *, person=False, max_length=KEY_LENGTH):
    """The sort key of a name (see the module's docstring): 华 'hua2', 王小明
    'wang2xiao3ming2', 'Alice Wang' 'alice0wang0'. With `person`, a leading
    polyphonic surname is read as a surname (曾 zeng1, not ceng2)."""
    text = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    pieces = []
    if person:
        length, readings = _surname(text)
        pieces.extend(readings)
        text = text[length:]
    for is_han, run in _runs(text):
        pieces.extend(_han_syllables(run) if is_han else [_latin(run)])
    return "".join(pieces)[:max_length]


def _runs(text):
    """(is Chinese, text) runs of `text`, in order."""
    runs = []
    for character in text:
        han = _is_han(character)
        if runs and runs[-1][0] == han:
            runs[-1][1].append(character)
        else:
            runs.append((han, [character]))
    return [(han, "".join(characters)) for han, characters in runs]


class PinyinKeyField(models.CharField):
    """The pinyin sort key of the name in `source` (an attribute of the
    row: a field or a property), computed whenever the row is written:
    save() and bulk_create() (an import's bulk writes) both call pre_save.
    `person` is True, False or the name of a boolean attribute saying
    whether the row names a person (surname readings). Not in the forms;
    order by (key, name, pk).

    A write that bypasses pre_save (QuerySet.update(), bulk_update(), or
    save(update_fields=[...]) without the key) leaves the key as it was:
    change names through save() or bulk_create()."""

    def __init__(self, *args, source="name", person=False, **kwargs):
        self.source = source
        self.person = person
        kwargs.setdefault("max_length", KEY_LENGTH)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_index", True)
        kwargs["editable"] = False
        kwargs["blank"] = True
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        if self.person:
            kwargs["person"] = self.person
        for key in ("editable", "blank"):
            kwargs.pop(key, None)
        if kwargs.get("max_length") == KEY_LENGTH:
            del kwargs["max_length"]
        if kwargs.get("default") == "":
            del kwargs["default"]
        return name, path, args, kwargs

    def key_for(self, instance):
        try:
            text = getattr(instance, self.source)
        except AttributeError:  # a migration's model has fields only: keep the key
            return getattr(instance, self.attname)
        person = self.person
        if isinstance(person, str):
            person = bool(getattr(instance, person, False))
        return pinyin_key(text, person=person, max_length=self.max_length)

    def pre_save(self, model_instance, add):
        value = self.key_for(model_instance)
        setattr(model_instance, self.attname, value)
        return value


def fill_pinyin_keys(model, key_of, *, fields, batch_size=2000, key_field="name_sort_key"):
    """For data migrations: set `key_field` of every row of `model` (the
    migration's model) to `key_of(row)`, reading only `fields`, in batches
    of `batch_size` rows by primary key, so a large table is never held in
    memory at once."""
    last = None
    while True:
        rows = model._base_manager.order_by("pk").only("pk", *fields)
        if last is not None:
            rows = rows.filter(pk__gt=last)
        rows = list(rows[:batch_size])
        if not rows:
            return
        for row in rows:
            setattr(row, key_field, key_of(row))
        model._base_manager.bulk_update(rows, [key_field])
        last = rows[-1].pk
