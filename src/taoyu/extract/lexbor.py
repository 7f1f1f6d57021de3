"""lexbor's own C functions, called from compiled loops: a parsed page read in one pass.

selectolax parses with lexbor and hands each node to Python as an object. Asking every node of a
page for its parent, tag, text and class that way costs about a microsecond a node, and on a
page of a few thousand nodes that was most of extraction's time (docs/decisions.md). The
selectolax extension module exports lexbor's C API, including the ``_noi`` ("no inline")
functions lexbor provides for bindings, so a compiled loop can walk the tree the way
selectolax's own ``traverse`` does, at C speed: first child, next sibling, parent, tag id, a
text node's characters, an element's class, id and style, and what a page says about its kind
(schema.org types, the generator meta tag, JSON-LD).

numba calls a C function from a raw address through :func:`_call`; the addresses are arguments,
not constants, so the loops are cached on disk like every other kernel (:mod:`taoyu.jit`).

Two things are not part of lexbor's function API and are checked, not assumed: where a text
node keeps its characters (right after the node's own fields), when the module loads, and that
the walk gives what selectolax gives on a probe page, before the walk's first use. If either
check fails (another selectolax build, a changed struct), callers read the tree through
selectolax's Python API instead, with the same results, only slower. They do so too until the
walk is worth compiling (:mod:`taoyu.jit`): the Python reader's time counts towards it.
"""

from __future__ import annotations

import ctypes
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import compress

import numpy as np
from llvmlite import ir
from numba import carray as numba_carray
from numba import types
from numba.extending import intrinsic
from selectolax import lexbor as _selectolax
from selectolax.lexbor import LexborHTMLParser, LexborNode

from taoyu.jit import Kernel, kernel

_log = logging.getLogger(__name__)

_ELEMENT, _TEXT = 1, 3  # lexbor's node types (the DOM's)
_NO_LEAVES = np.zeros(0, np.bool_)
_NONE = np.zeros(0, np.int64)
_NO_SIGNS = np.zeros(0, np.int8)


@intrinsic
def _call(typingctx, function, argument):  # type: ignore[no-untyped-def]
    """``function(argument)``: a C function of one pointer-sized argument at an address."""
    signature = types.uintp(types.uintp, types.uintp)

    def codegen(context, builder, sig, args):  # type: ignore[no-untyped-def]
        """Lower to LLVM IR: cast the address to a function pointer and call it, so jitted loops reach
        lexbor directly with no ctypes round trip per node."""
        word = ir.IntType(64)
        pointer = builder.inttoptr(args[0], ir.FunctionType(word, [word]).as_pointer())
        return builder.call(pointer, [args[1]])

    return signature, codegen


@intrinsic
def _call2(typingctx, function, first, second):  # type: ignore[no-untyped-def]
    """``function(first, second)`` for a C function of two pointer-sized arguments."""
    signature = types.uintp(types.uintp, types.uintp, types.uintp)

    def codegen(context, builder, sig, args):  # type: ignore[no-untyped-def]
        """Lower to LLVM IR: the address as a pointer to a function of two 64-bit words, and the call."""
        word = ir.IntType(64)
        pointer = builder.inttoptr(args[0], ir.FunctionType(word, [word, word]).as_pointer())
        return builder.call(pointer, [args[1], args[2]])

    return signature, codegen


@intrinsic
def _call4(typingctx, function, first, second, third, fourth):  # type: ignore[no-untyped-def]
    """``function(first, second, third, fourth)``, all pointer-sized."""
    signature = types.uintp(types.uintp, types.uintp, types.uintp, types.uintp, types.uintp)

    def codegen(context, builder, sig, args):  # type: ignore[no-untyped-def]
        """Lower to LLVM IR: the address as a pointer to a function of four 64-bit words, and the call."""
        word = ir.IntType(64)
        pointer = builder.inttoptr(args[0], ir.FunctionType(word, [word] * 4).as_pointer())
        return builder.call(pointer, list(args[1:]))

    return signature, codegen


@intrinsic
def _call_int(typingctx, function, argument):  # type: ignore[no-untyped-def]
    """``function(argument)`` for a C function that returns an ``int`` (an enum: a node's type)."""
    signature = types.int32(types.uintp, types.uintp)

    def codegen(context, builder, sig, args):  # type: ignore[no-untyped-def]
        """Lower to LLVM IR with an ``i32`` result: read as 64 bits, an ``int``'s upper half is garbage."""
        word = ir.IntType(64)
        pointer = builder.inttoptr(args[0], ir.FunctionType(ir.IntType(32), [word]).as_pointer())
        return builder.call(pointer, [args[1]])

    return signature, codegen


@intrinsic
def _bytes_at(typingctx, address):  # type: ignore[no-untyped-def]
    """The address as a pointer to bytes, for ``numba.carray``."""
    signature = types.CPointer(types.uint8)(types.uintp)

    def codegen(context, builder, sig, args):  # type: ignore[no-untyped-def]
        """Lower to LLVM IR: a bare ``inttoptr``, so lexbor's bytes are read in place, never copied."""
        return builder.inttoptr(args[0], ir.IntType(8).as_pointer())

    return signature, codegen


@dataclass(slots=True)
class PageArrays:
    """A parsed page, or a subtree of one, in document order (position 0 is the root)."""

    keys: np.ndarray  # each node's address: selectolax's ``mem_id``
    parents: np.ndarray  # each node's parent's position; -1 for the root
    tag_ids: np.ndarray  # lexbor's tag ids (a text node's is ``#text``'s)
    elements: np.ndarray  # whether the node is an element
    starts: np.ndarray  # where each node's text starts in ``codes``, and one past the last
    codes: np.ndarray  # every text node's characters, as code points
    labelled: np.ndarray  # the elements with a class or an id attribute
    label_bytes: np.ndarray  # their class and id joined by a space, UTF-8, one after another
    label_starts: np.ndarray  # where each label starts in ``label_bytes``, and one past the last
    label_ids: np.ndarray  # where each label's id starts in ``label_bytes``
    styled: np.ndarray  # the elements whose style attribute says "none" or "hidden" (ASCII, any case)
    styles: list[str]  # those style attributes
    sign_kinds: np.ndarray  # what the page says about its kind: ITEMTYPE, GENERATOR or JSON_LD
    sign_positions: np.ndarray  # the elements that say it
    signs: list[str]  # the itemtype, the generator's name, the JSON-LD
    nodes: list[LexborNode] | None = None  # the nodes, when they were read through Python
    numbered: np.ndarray | None = None  # the labels whose id may be a numbered post's, when known
    _labels: list[str] | None = None  # the labels decoded, when first asked for
    _label_at: dict[int, str] | None = None  # and by position

    @property
    def labels(self) -> list[str]:
        """The labels as text (decoded when first asked for: most pages never need them)."""
        if self._labels is None:
            data, bounds = self.label_bytes.tobytes(), self.label_starts.tolist()
            labels = (data[bounds[k] : bounds[k + 1]] for k in range(len(bounds) - 1))
            self._labels = [label.decode("utf-8", "replace") for label in labels]
        return self._labels

    def kept(self, keep: np.ndarray) -> PageArrays:
        """The page less the nodes not kept (whole subtrees: a kept node's parent is kept), and
        without its styles."""
        arrays = self.keys, self.parents, self.tag_ids, self.elements, self.starts, self.codes
        kept = kept_arrays(*arrays, self.labelled, self.label_bytes, self.label_starts, self.label_ids, keep)
        nodes = list(compress(self.nodes, keep.tolist())) if self.nodes is not None else None
        return PageArrays.of_kept(kept, nodes)

    @staticmethod
    def of_kept(kept: tuple[np.ndarray, ...], nodes: list[LexborNode] | None = None) -> PageArrays:
        """A page from what :func:`kept_arrays` returns (no styles or signs: they are read once)."""
        return PageArrays(*kept, _NONE, [], _NO_SIGNS, _NONE, [], nodes)

    def ids(self) -> list[tuple[int, str]]:
        """The elements' ids that start like a forum's numbered post (post, reply, pid, answer,
        floor; ASCII letters in any case), with their positions."""
        found = self.numbered
        if found is None:
            found = _numbered_ids(self.label_bytes, self.label_starts, self.label_ids)
        if not len(found):
            return []
        data = self.label_bytes.tobytes()
        starts, ends = self.label_ids.tolist(), self.label_starts[1:].tolist()
        positions = self.labelled.tolist()
        return [(positions[k], data[starts[k] : ends[k]].decode("utf-8", "replace")) for k in found.tolist()]

    def label(self, position: int) -> str:
        """The class and id of the element at ``position`` (" " when it has neither). Found by a
        binary search of the labelled positions (in document order) and decoded alone: the few
        elements asked about would not pay for decoding a page's hundreds of labels."""
        if self._labels is not None:  # decoded already
            if self._label_at is None:
                self._label_at = dict(zip(self.labelled.tolist(), self._labels, strict=True))
            return self._label_at.get(position, " ")
        k = int(np.searchsorted(self.labelled, position))
        if k == len(self.labelled) or self.labelled[k] != position:
            return " "
        start, end = int(self.label_starts[k]), int(self.label_starts[k + 1])
        return self.label_bytes[start:end].tobytes().decode("utf-8", "replace")


def _label_arrays(labels: list[str]) -> tuple[np.ndarray, np.ndarray]:
    data = [label.encode("utf-8") for label in labels]
    starts = np.zeros(len(data) + 1, np.int64)
    np.cumsum([len(d) for d in data], out=starts[1:])
    return np.frombuffer(b"".join(data), np.uint8).copy(), starts


def read_page(root: LexborNode, leaves: np.ndarray = _NO_LEAVES) -> PageArrays:
    """The subtree under ``root`` as arrays: through lexbor's C functions when
    :func:`compiled_reader`, else through selectolax's Python API (the same arrays). ``leaves``
    marks, by tag id, the elements whose subtrees are not read (a script's text, when scripts
    will be removed)."""
    if compiled_reader():
        page = _read_compiled(root, leaves)
        if page is not None:
            return page
    started = time.perf_counter()
    page = read_page_python(root, leaves)
    _WALK.charge(time.perf_counter() - started)
    return page


def compiled_reader() -> bool:
    """Whether pages are read through lexbor's C functions now: the functions were found
    (:data:`AVAILABLE`), the walk is worth compiling or compiled, and on its first use it gave
    exactly what selectolax gives on the probe page."""
    global _VERIFIED
    if not AVAILABLE or not _WALK.ready():
        return False
    if _VERIFIED is None:
        _VERIFIED = _walk_matches_selectolax()
    return _VERIFIED


def read_page_python(root: LexborNode, leaves: np.ndarray = _NO_LEAVES) -> PageArrays:
    """:func:`read_page` through selectolax's Python API, node by node."""
    nodes = _nodes_to_read(root, leaves)
    count = len(nodes)
    keys = np.fromiter([node.mem_id for node in nodes], np.int64, count)
    position = {key: i for i, key in enumerate(keys.tolist())}
    parents = np.fromiter([-1] + [position[node.parent.mem_id] for node in nodes[1:]], np.int64, count)
    tag_ids = np.fromiter([node.tag_id for node in nodes], np.int64, count)
    elements = np.fromiter([node.is_element_node for node in nodes], np.bool_, count)
    texts = [(node.text_content or "") if node.tag == "-text" else "" for node in nodes]
    starts = np.zeros(count + 1, np.int64)
    np.cumsum(np.fromiter(map(len, texts), np.int64, count), out=starts[1:])
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), np.uint32)
    found = _element_attributes(nodes, elements)
    labels = found.labels
    label_bytes, label_starts = _label_arrays([f"{name} {id_}" for name, id_ in labels])
    label_ids = label_starts[:-1] + [len(name.encode("utf-8")) + 1 for name, _ in labels]
    return PageArrays(
        keys,
        parents,
        tag_ids,
        elements,
        starts,
        codes,
        np.array(found.labelled, np.int64),
        label_bytes,
        label_starts,
        label_ids.astype(np.int64),
        np.array(found.styled, np.int64),
        found.styles,
        np.array(found.sign_kinds, np.int8),
        np.array(found.sign_positions, np.int64),
        found.signs,
        nodes,
    )


def _nodes_to_read(root: LexborNode, leaves: np.ndarray) -> list[LexborNode]:
    """The nodes under ``root`` (itself first) in document order, less what lies below a leaf:
    the nodes :func:`read_page_python` makes arrays of, as the compiled walk would visit them."""
    nodes = []
    skipped: set[int] = set()  # leaves and what is below them
    for node in root.traverse(include_text=True):
        if nodes and node.parent.mem_id in skipped:
            skipped.add(node.mem_id)
            continue
        nodes.append(node)
        if len(nodes) > 1 and node.tag_id < len(leaves) and leaves[node.tag_id]:
            skipped.add(node.mem_id)
    return nodes


@dataclass(slots=True)
class _ElementAttributes:
    """What :func:`read_page_python` reads from the elements' attributes, in document order, kept
    together because one pass over the elements finds all of it."""

    labelled: list[int]
    """Positions of the elements with a class or an id."""
    labels: list[tuple[str, str]]
    """Their (class, id), "" for the one missing."""
    styled: list[int]
    """Positions of the elements whose style may hide them (:func:`_may_hide`)."""
    styles: list[str]
    """Those styles."""
    sign_kinds: list[int]
    """Kinds of the page's signs (:data:`ITEMTYPE`, :data:`GENERATOR`, :data:`JSON_LD`)."""
    sign_positions: list[int]
    """Positions of the elements that give them."""
    signs: list[str]
    """The signs' texts."""


def _element_attributes(nodes: list[LexborNode], elements: np.ndarray) -> _ElementAttributes:
    """The labels, hiding styles and page signs of the elements among ``nodes`` (``elements``
    marks them), read through selectolax in one pass."""
    labelled, labels, styled, styles = [], [], [], []
    sign_kinds, sign_positions, signs = [], [], []
    for i, node in enumerate(nodes):
        if not elements[i]:
            continue
        attributes = node.attributes
        if "class" in attributes or "id" in attributes:
            labelled.append(i)
            labels.append((attributes.get("class") or "", attributes.get("id") or ""))
        style = attributes.get("style")
        if style is not None and _may_hide(style):
            styled.append(i)
            styles.append(style)
        found = []
        if attributes.get("itemtype") is not None:
            found.append((ITEMTYPE, attributes["itemtype"]))
        if node.tag == "meta" and attributes.get("name") == "generator":
            found.append((GENERATOR, attributes.get("content") or ""))
        elif node.tag == "script" and (attributes.get("type") or "").encode().lower() == _JSON_LD.tobytes():
            found.append((JSON_LD, node.text()))
        for kind, sign in found:
            sign_kinds.append(kind)
            sign_positions.append(i)
            signs.append(sign)
    return _ElementAttributes(labelled, labels, styled, styles, sign_kinds, sign_positions, signs)


def _may_hide(style: str) -> bool:
    """What ``[style*=none i], [style*=hidden i]`` selects: ASCII letters in any case."""
    lowered = style.encode("utf-8").lower()
    return b"none" in lowered or b"hidden" in lowered


_FUNCTIONS = (
    "lxb_dom_node_first_child_noi",
    "lxb_dom_node_next_noi",
    "lxb_dom_node_parent_noi",
    "lxb_dom_node_tag_id_noi",
    "lxb_dom_node_type_noi",
    "lexbor_str_data_noi",
    "lexbor_str_length_noi",
    "lxb_dom_element_class_attribute_noi",
    "lxb_dom_element_id_attribute_noi",
    "lxb_dom_element_class_noi",
    "lxb_dom_element_id_noi",
    "lxb_dom_element_get_attribute",
    "lxb_dom_node_remove",
)
(_FIRST_CHILD, _NEXT, _PARENT, _TAG_ID, _TYPE, _STR_DATA, _STR_LENGTH, _CLASS_ATTRIBUTE, _ID_ATTRIBUTE,
 _CLASS, _ID, _GET_ATTRIBUTE, _REMOVE) = range(len(_FUNCTIONS))  # fmt: skip
# Attribute names for get_attribute, and the names' addresses and lengths (kept alive here).
_ATTRIBUTE_NAMES = [np.frombuffer(n, np.uint8) for n in (b"style", b"itemtype", b"name", b"content", b"type")]
_NAMES = np.array([[name.ctypes.data, len(name)] for name in _ATTRIBUTE_NAMES], np.uint64)
_STYLE_NAME, _ITEMTYPE_NAME, _NAME_NAME, _CONTENT_NAME, _TYPE_NAME = range(5)
_GENERATOR = np.frombuffer(b"generator", np.uint8)
_JSON_LD = np.frombuffer(b"application/ld+json", np.uint8)
# What a page says about its kind (read for taoyu.extract.page_type): a schema.org type, the
# generator a meta tag names, a JSON-LD script.
ITEMTYPE, GENERATOR, JSON_LD = 0, 1, 2


def _addresses() -> np.ndarray | None:
    try:
        library = ctypes.CDLL(_selectolax.__file__)
        found = [ctypes.cast(getattr(library, name), ctypes.c_void_p).value for name in _FUNCTIONS]
    except (OSError, AttributeError):  # another build: the symbols are not exported
        return None
    return np.array(found, np.uint64) if all(found) else None


@kernel
def _numbered_ids(label_bytes, label_starts, label_ids):  # type: ignore[no-untyped-def]
    """The labels whose id starts with post, reply, pid, answer or floor (ASCII, any case)."""
    found = np.zeros(len(label_ids), np.bool_)
    for k in range(len(label_ids)):
        start, end = label_ids[k], label_starts[k + 1]
        if end - start < 3:
            continue
        word = np.zeros(6, np.uint8)
        for m in range(min(6, end - start)):
            byte = label_bytes[start + m]
            word[m] = byte + 32 if 65 <= byte <= 90 else byte
        post = word[0] == 112 and word[1] == 111 and word[2] == 115 and word[3] == 116
        reply = word[0] == 114 and word[1] == 101 and word[2] == 112 and word[3] == 108 and word[4] == 121
        pid = word[0] == 112 and word[1] == 105 and word[2] == 100
        answer = word[0] == 97 and word[1] == 110 and word[2] == 115 and word[3] == 119 and word[4] == 101
        answer = answer and word[5] == 114
        floor = word[0] == 102 and word[1] == 108 and word[2] == 111 and word[3] == 111 and word[4] == 114
        found[k] = post or reply or pid or answer or floor
    return np.flatnonzero(found)


@kernel(python=False)
def _walk(root, functions, text_offset, names, leaves, tags, generator, json_ld):  # type: ignore[no-untyped-def]
    """selectolax's ``traverse(include_text=True)`` in compiled code, less what is below the
    ``leaves``, and what each node holds: the addresses of its text, class, id, style and signs
    of the page's kind, read in pass two and copied in pass three. ``tags`` are the tag ids of
    meta and script.

    One compiled loop on purpose (taoyu.jit): split into functions, it would pay a call and hand its
    state over per character or node, the overhead the kernel exists to avoid."""
    first_child, next_sibling, parent_of = functions[_FIRST_CHILD], functions[_NEXT], functions[_PARENT]
    count = 0
    node = root
    while True:  # pass one: how many nodes
        count += 1
        leaf = _is_leaf(_call(functions[_TAG_ID], node), leaves, node, root)
        child = 0 if leaf else _call(first_child, node)
        if child != 0:
            node = child
            continue
        while node != root and _call(next_sibling, node) == 0:
            node = _call(parent_of, node)
        if node == root:
            break
        node = _call(next_sibling, node)
    keys = np.empty(count, np.int64)
    parents = np.empty(count, np.int64)
    tag_ids = np.empty(count, np.int64)
    elements = np.zeros(count, np.bool_)
    text_at = np.zeros(count, np.uint64)
    text_bytes = np.zeros(count, np.int64)
    class_at = np.zeros(count, np.uint64)
    class_bytes = np.zeros(count, np.int64)
    id_at = np.zeros(count, np.uint64)
    id_bytes = np.zeros(count, np.int64)
    labelled = np.zeros(count, np.bool_)
    style_at = np.zeros(count, np.uint64)
    style_bytes = np.zeros(count, np.int64)
    sign_kinds = np.full(count, -1, np.int8)  # at most one sign an element, but for itemtype
    sign_at = np.zeros(count, np.uint64)
    sign_bytes = np.zeros(count, np.int64)
    itemtype_at = np.zeros(count, np.uint64)
    itemtype_bytes = np.full(count, -1, np.int64)
    length = np.zeros(1, np.uint64)
    length_at = length.ctypes.data
    ancestors = np.empty(count, np.int64)
    depth = 0
    i = 0
    node = root
    while True:  # pass two: structure, and where each node's strings are
        keys[i] = node
        parents[i] = ancestors[depth - 1] if depth else -1
        tag_ids[i] = _call(functions[_TAG_ID], node)
        kind = _call_int(functions[_TYPE], node)
        if kind == _TEXT:
            text = node + text_offset
            text_at[i] = _call(functions[_STR_DATA], text)
            text_bytes[i] = _call(functions[_STR_LENGTH], text) if text_at[i] != 0 else 0
        elif kind == _ELEMENT:
            elements[i] = True
            has_class = _call(functions[_CLASS_ATTRIBUTE], node) != 0
            has_id = _call(functions[_ID_ATTRIBUTE], node) != 0
            labelled[i] = has_class or has_id
            if has_class:
                class_at[i] = _call2(functions[_CLASS], node, length_at)
                class_bytes[i] = length[0] if class_at[i] != 0 else 0
            if has_id:
                id_at[i] = _call2(functions[_ID], node, length_at)
                id_bytes[i] = length[0] if id_at[i] != 0 else 0
            get = functions[_GET_ATTRIBUTE]
            style_at[i] = _call4(get, node, names[_STYLE_NAME, 0], names[_STYLE_NAME, 1], length_at)
            style_bytes[i] = length[0] if style_at[i] != 0 else 0
            itemtype_at[i] = _call4(get, node, names[_ITEMTYPE_NAME, 0], names[_ITEMTYPE_NAME, 1], length_at)
            if itemtype_at[i] != 0:
                itemtype_bytes[i] = length[0]
            if tag_ids[i] == tags[0]:  # meta: the generator's name
                name = _call4(get, node, names[_NAME_NAME, 0], names[_NAME_NAME, 1], length_at)
                if name != 0 and _equals(name, length[0], generator, False):
                    sign_kinds[i] = GENERATOR
                    content = names[_CONTENT_NAME, 0], names[_CONTENT_NAME, 1]
                    sign_at[i] = _call4(get, node, content[0], content[1], length_at)
                    sign_bytes[i] = length[0] if sign_at[i] != 0 else 0
            elif tag_ids[i] == tags[1]:  # script: JSON-LD (the type, like lexbor's selector, in any case)
                kind_at = _call4(get, node, names[_TYPE_NAME, 0], names[_TYPE_NAME, 1], length_at)
                if kind_at != 0 and _equals(kind_at, length[0], json_ld, True):
                    sign_kinds[i] = JSON_LD
        child = 0 if _is_leaf(tag_ids[i], leaves, node, root) else _call(first_child, node)
        if child != 0:
            ancestors[depth] = i
            depth += 1
            node = child
            i += 1
            continue
        while node != root and _call(next_sibling, node) == 0:
            node = _call(parent_of, node)
            depth -= 1
        if node == root:
            break
        node = _call(next_sibling, node)
        i += 1
    # pass three: text as code points (lexbor keeps UTF-8), labels and styles as UTF-8
    starts = np.zeros(count + 1, np.int64)
    codes = np.empty(text_bytes.sum(), np.uint32)
    used = 0
    valid = True
    for i in range(count):
        if text_bytes[i]:
            used, ok = _decode(numba_carray(_bytes_at(text_at[i]), text_bytes[i]), codes, used)
            valid = valid and ok
        starts[i + 1] = used
    label_positions = np.flatnonzero(labelled)
    label_bytes = np.empty(len(label_positions) + (class_bytes.sum() + id_bytes.sum()), np.uint8)
    label_starts = np.zeros(len(label_positions) + 1, np.int64)
    label_ids = np.zeros(len(label_positions), np.int64)
    at = 0
    for k in range(len(label_positions)):  # "class id" each
        i = label_positions[k]
        at = _copy(class_at[i], class_bytes[i], label_bytes, at)
        label_bytes[at] = 32
        label_ids[k] = at + 1
        at = _copy(id_at[i], id_bytes[i], label_bytes, at + 1)
        label_starts[k + 1] = at
    styled = np.zeros(count, np.bool_)
    for i in range(count):
        if style_bytes[i]:
            styled[i] = _may_hide_bytes(numba_carray(_bytes_at(style_at[i]), style_bytes[i]))
    # Signs: each element's itemtype, then its generator or JSON-LD (a script's text children).
    sign_count = 0
    sign_size = 0
    for i in range(count):
        if itemtype_bytes[i] >= 0:
            sign_count += 1
            sign_size += itemtype_bytes[i]
        if sign_kinds[i] == GENERATOR:
            sign_count += 1
            sign_size += sign_bytes[i]
        elif sign_kinds[i] == JSON_LD:
            sign_count += 1
            child = _call(first_child, keys[i])
            while child != 0:
                text = child + text_offset
                if _call_int(functions[_TYPE], child) == _TEXT and _call(functions[_STR_DATA], text):
                    sign_size += _call(functions[_STR_LENGTH], text)
                child = _call(next_sibling, child)
    signs = np.empty(sign_size, np.uint8)
    sign_starts = np.zeros(sign_count + 1, np.int64)
    sign_of = np.empty(sign_count, np.int8)
    sign_positions = np.empty(sign_count, np.int64)
    k = 0
    at = 0
    for i in range(count):
        if itemtype_bytes[i] >= 0:
            at = _copy(itemtype_at[i], itemtype_bytes[i], signs, at)
            sign_of[k], sign_positions[k] = ITEMTYPE, i
            k += 1
            sign_starts[k] = at
        if sign_kinds[i] == GENERATOR:
            at = _copy(sign_at[i], sign_bytes[i], signs, at)
        elif sign_kinds[i] == JSON_LD:
            child = _call(first_child, keys[i])
            while child != 0:
                data = _call(functions[_STR_DATA], child + text_offset)
                if _call_int(functions[_TYPE], child) == _TEXT and data:
                    at = _copy(data, _call(functions[_STR_LENGTH], child + text_offset), signs, at)
                child = _call(next_sibling, child)
        if sign_kinds[i] >= 0:
            sign_of[k], sign_positions[k] = sign_kinds[i], i
            k += 1
            sign_starts[k] = at
    style_positions = np.flatnonzero(styled)
    all_styles = np.empty(style_bytes[style_positions].sum() + len(style_positions), np.uint8)
    at = 0
    for i in style_positions:
        at = _copy(style_at[i], style_bytes[i], all_styles, at)
        all_styles[at] = 0
        at += 1
    return (
        keys, parents, tag_ids, elements, starts, codes[:used], valid,
        label_positions, label_bytes, label_starts, label_ids, style_positions, all_styles,
        sign_of, sign_positions, signs, sign_starts, _numbered_ids(label_bytes, label_starts, label_ids),
    )  # fmt: skip


_WALK: Kernel = _walk
"""The walk as a kernel: the Python reader charges its time here, and asks it whether compiling
has paid."""


@kernel(python=False)
def _equals(address, size, word, any_case):  # type: ignore[no-untyped-def]
    """Whether the bytes at ``address`` are ``word`` (``any_case``: ASCII letters in any case)."""
    if size != len(word):
        return False
    data = numba_carray(_bytes_at(address), size)
    for k in range(size):
        byte = data[k]
        if any_case and 65 <= byte <= 90:
            byte += 32
        if byte != word[k]:
            return False
    return True


@kernel
def _is_leaf(tag_id, leaves, node, root):  # type: ignore[no-untyped-def]
    return node != root and tag_id < len(leaves) and leaves[tag_id]


@kernel(python=False)
def _copy(address, size, out, at):  # type: ignore[no-untyped-def]
    if size:
        out[at : at + size] = numba_carray(_bytes_at(address), size)
    return at + size


@kernel
def _may_hide_bytes(style):  # type: ignore[no-untyped-def]
    """Whether the bytes hold "none" or "hidden", ASCII letters in any case (a CSS ``i`` match)."""
    lowered = np.empty(len(style), np.uint8)
    for i in range(len(style)):
        byte = style[i]
        lowered[i] = byte | 32 if 65 <= byte <= 90 else byte
    for start in range(len(style)):
        if _at(lowered, start, 110, 111, 110, 101, 0, 0, 4):  # none
            return True
        if _at(lowered, start, 104, 105, 100, 100, 101, 110, 6):  # hidden
            return True
    return False


@kernel
def _at(text, start, a, b, c, d, e, f, size):  # type: ignore[no-untyped-def]
    """Whether ``text`` holds the bytes ``a b c d e f`` (the first ``size``) at ``start``."""
    if start + size > len(text):
        return False
    word = (a, b, c, d, e, f)
    for k in range(size):  # noqa: SIM110 (numba compiles the loop, not a generator)
        if text[start + k] != word[k]:
            return False
    return True


@kernel
def _decode(data, codes, used):  # type: ignore[no-untyped-def]
    """Strict UTF-8 into ``codes`` from ``used`` on; the new end, and whether the bytes were valid
    (lexbor keeps text as UTF-8: invalid bytes mean the check at import missed something)."""
    i = 0
    size = len(data)
    while i < size:
        byte = data[i]
        if byte < 0x80:
            codes[used] = byte
            i += 1
        else:
            if 0xC2 <= byte <= 0xDF:
                extra, code, low, high = 1, byte & 0x1F, 0x80, 0xBF
            elif 0xE0 <= byte <= 0xEF:
                extra, code = 2, byte & 0x0F
                low = 0xA0 if byte == 0xE0 else 0x80
                high = 0x9F if byte == 0xED else 0xBF
            elif 0xF0 <= byte <= 0xF4:
                extra, code = 3, byte & 0x07
                low = 0x90 if byte == 0xF0 else 0x80
                high = 0x8F if byte == 0xF4 else 0xBF
            else:
                return used, False
            if i + extra >= size:
                return used, False
            for k in range(1, extra + 1):
                following = data[i + k]
                if not ((low if k == 1 else 0x80) <= following <= (high if k == 1 else 0xBF)):
                    return used, False
                code = (code << 6) | (following & 0x3F)
            codes[used] = code
            i += extra + 1
        used += 1
    return used, True


def _read_compiled(root: LexborNode, leaves: np.ndarray = _NO_LEAVES) -> PageArrays | None:
    assert _FUNCTION_ADDRESSES is not None and _TEXT_OFFSET is not None
    words = _GENERATOR, _JSON_LD
    read = _walk(root.mem_id, _FUNCTION_ADDRESSES, _TEXT_OFFSET, _NAMES, leaves, _tags(), *words)
    keys, parents, tag_ids, elements, starts, codes, valid, *labels, styled, styles = read[:-5]
    sign_kinds, sign_positions, sign_bytes, sign_starts, numbered = read[-5:]
    if not valid:
        return None
    style_list = styles.tobytes().decode("utf-8", "replace").split("\0")[:-1] if len(styled) else []
    if len(style_list) != len(styled):  # a NUL inside a style
        return None
    data, bounds = sign_bytes.tobytes(), sign_starts.tolist()
    signs = [data[bounds[k] : bounds[k + 1]].decode("utf-8", "replace") for k in range(len(bounds) - 1)]
    arrays = keys, parents, tag_ids, elements, starts, codes, *labels, styled, style_list
    return PageArrays(*arrays, sign_kinds, sign_positions, signs, numbered=numbered)


@cache
def tag_id(name: str) -> int:
    """lexbor's id of a tag name (the same in every document: lexbor's static table)."""
    return int(_PROBE_PARSER.create_node(name).tag_id)


def tag_ids(*names: str) -> np.ndarray:
    """lexbor's ids of the tag names, in order."""
    return np.array([tag_id(name) for name in names], np.int64)


def tag_table(names: Iterable[str], dtype: type = np.bool_, value: int = 1) -> np.ndarray:
    """A lookup by tag id, ``value`` for the named tags; a tag id past its end is none of them."""
    ids = [tag_id(name) for name in names]
    table = np.zeros(max(ids) + 1, dtype)
    table[ids] = value
    return table


_PROBE_PARSER = LexborHTMLParser("")


@cache
def _tags() -> np.ndarray:
    """lexbor's tag ids of meta and script."""
    return tag_ids("meta", "script")


_PROBE = (
    '<div class="a b" id="x" style="display:None">t<!-- c --><p class>中文 text</p>'
    "<span id=''>\u00e9\U0001f600</span><a style=\"color:red\">l</a></div>"
    "<meta name=generator content=x><div itemtype='https://schema.org/QAPage' id=post-1>q</div>"
    "<script type=Application/LD+JSON>{}</script>"
)


def _text_offset(addresses: np.ndarray) -> int | None:
    """Where a text node keeps its characters: lexbor's ``lxb_dom_character_data_t`` puts them
    (a ``lexbor_str_t``) right after the node's fields, so the offset is the node's size. Found
    on a probe text node, among the sizes the struct can have."""
    text = LexborHTMLParser("<p>probe text</p>").body.css_first("p").child
    data = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p)(int(addresses[_STR_DATA]))
    size = ctypes.CFUNCTYPE(ctypes.c_size_t, ctypes.c_void_p)(int(addresses[_STR_LENGTH]))
    for offset in range(64, 257, 8):
        if size(text.mem_id + offset) == 10:
            start = data(text.mem_id + offset)
            if start and ctypes.string_at(start, 10) == b"probe text":
                return offset
    return None


def _find_functions() -> tuple[np.ndarray | None, int | None]:
    """The function addresses and the text offset, or (None, None) when either is not found."""
    addresses = _addresses()
    if addresses is None:
        return None, None
    offset = _text_offset(addresses)
    return (addresses, offset) if offset is not None else (None, None)


def _walk_matches_selectolax() -> bool:
    """Whether the compiled walk gives exactly what selectolax gives on the probe page (this
    compiles the walk, or loads it from the cache); if not, :data:`AVAILABLE` turns False."""
    global AVAILABLE
    root = LexborHTMLParser(_PROBE).body
    spans = tag_table(["span"])
    try:
        same = all(
            _same(_read_compiled(root, leaves), read_page_python(root, leaves))
            for leaves in (_NO_LEAVES, spans)
        )
    except Exception:  # a build of numba or selectolax this was not made for
        # Compiling the walk failed: pages are read through selectolax's Python API, as the module
        # docstring promises, and the next page does not try again.
        _log.warning("lexbor's C functions cannot be used; pages are read through selectolax", exc_info=True)
        same = False
    AVAILABLE = AVAILABLE and same
    return same


def _same(one: PageArrays | None, other: PageArrays) -> bool:
    if one is None:
        return False
    arrays = ("keys", "parents", "tag_ids", "elements", "starts", "codes", "labelled", "label_bytes")
    arrays += ("label_starts", "label_ids", "styled", "sign_kinds", "sign_positions")
    same_text = one.labels == other.labels and one.styles == other.styles and one.signs == other.signs
    return all(np.array_equal(getattr(one, name), getattr(other, name)) for name in arrays) and (
        same_text and one.ids() == other.ids()
    )


_NO_FUNCTIONS = np.zeros(0, np.uint64)
_FUNCTION_ADDRESSES, _TEXT_OFFSET = _find_functions()
AVAILABLE = _FUNCTION_ADDRESSES is not None
"""Whether lexbor's functions were found (False also once the walk failed its check on the probe
page); set it False to read every page through selectolax's Python API."""
_VERIFIED: bool | None = None


def unlink(page: PageArrays, removed: np.ndarray) -> None:
    """Take the subtrees at ``removed`` (positions) out of the tree, as selectolax's
    ``decompose`` does; when the page's root is one of them, its children go and the root stays,
    empty (it may be the document's ``<html>``, which a document keeps)."""
    if not len(removed):
        return
    if page.nodes is not None:  # read through Python: the nodes are at hand
        for i in removed.tolist():
            if i:
                page.nodes[i].decompose()
            else:
                for child in [node for k, node in enumerate(page.nodes) if page.parents[k] == 0 and k]:
                    child.decompose()
        return
    unlink_nodes(page.keys, page.parents, removed, unlinker(page))


def unlinker(page: PageArrays) -> np.ndarray:
    """What :func:`unlink_nodes` calls for the page: lexbor's functions, or none when the page was
    read through Python (then :func:`unlink` removes its nodes through selectolax)."""
    return _NO_FUNCTIONS if page.nodes is not None or not AVAILABLE else _FUNCTION_ADDRESSES


@kernel(python=False)
def unlink_nodes(keys, parents, removed, functions):  # type: ignore[no-untyped-def]
    """:func:`unlink` in compiled code, through lexbor's functions (from :func:`unlinker`)."""
    remove = functions[_REMOVE]
    for i in removed:
        if i == 0:  # the root: its children go, the root stays
            for child in range(1, len(keys)):
                if parents[child] == 0:
                    _call(remove, keys[child])
        else:
            _call(remove, keys[i])


@kernel
def kept_arrays(  # type: ignore[no-untyped-def]
    keys, parents, tag_ids, elements, starts, codes, labelled, label_bytes, label_starts, label_ids, keep
):
    """The kept nodes' addresses, parents (as positions among the kept), tags and text, and the
    kept labelled elements' new positions and labels."""
    count = len(parents)
    position = np.full(count, -1, np.int64)
    kept = 0
    size = 0
    for i in range(count):
        if keep[i]:
            position[i] = kept
            kept += 1
            size += starts[i + 1] - starts[i]
    new_parents = np.empty(kept, np.int64)
    new_starts = np.zeros(kept + 1, np.int64)
    new_codes = np.empty(size, codes.dtype)
    at = 0
    for i in range(count):
        if not keep[i]:
            continue
        k = position[i]
        new_parents[k] = position[parents[i]] if parents[i] >= 0 else -1
        length = starts[i + 1] - starts[i]
        new_codes[at : at + length] = codes[starts[i] : starts[i + 1]]
        at += length
        new_starts[k + 1] = at
    labels_kept = 0
    for k in range(len(labelled)):
        labels_kept += keep[labelled[k]]
    new_labelled = np.empty(labels_kept, np.int64)
    new_label_starts = np.zeros(labels_kept + 1, np.int64)
    new_label_bytes = np.empty(len(label_bytes), np.uint8)
    new_label_ids = np.empty(labels_kept, np.int64)
    j = 0
    for k in range(len(labelled)):
        if keep[labelled[k]]:
            new_labelled[j] = position[labelled[k]]
            low, high = label_starts[k], label_starts[k + 1]
            at = new_label_starts[j]
            new_label_bytes[at : at + high - low] = label_bytes[low:high]
            new_label_starts[j + 1] = at + high - low
            new_label_ids[j] = at + label_ids[k] - low
            j += 1
    structure = keys[keep], new_parents, tag_ids[keep], elements[keep], new_starts, new_codes
    labels = new_labelled, new_label_bytes[: new_label_starts[-1]], new_label_starts, new_label_ids
    return (*structure, *labels)
