"""Write genuine Outlook `.msg` files: MAPI properties (MS-OXMSG) in an OLE compound file (MS-CFB, version 3).

No library writes .msg files, and the demo portal needs real ones (made-up content) so the app's e-mail conversion
meets what Outlook saves: a property stream per object, one `__substg1.0_<tag>` stream per variable-size property,
recipients and attachments as sub-storages, an attached e-mail as an embedded message storage.
Small on purpose: streams below 4096 bytes live in the mini stream, the rest in 512-byte sectors; files up to about
7 MB (the FAT's 109 header slots), which is far beyond any demo e-mail.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

# -- the compound file -------------------------------------------------------------------------------------------
SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
HEADER_FAT_SLOTS = 109
FREE, END_OF_CHAIN, FAT_SECTOR_MARK, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5
BLACK = 1

Tree = dict[str, "bytes | Tree"]  # a storage: name -> stream bytes or a sub-storage


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[int] = field(default_factory=list)
    left: int = NO_STREAM
    right: int = NO_STREAM
    child: int = NO_STREAM
    start: int = END_OF_CHAIN


def compound_file(tree: Tree) -> bytes:
    """The bytes of a compound file whose root storage holds `tree`."""
    entries = [_Entry("Root Entry", ROOT)]
    _add_children(entries, 0, tree)
    mini_fat: list[int] = []
    mini_stream = bytearray()
    big: list[_Entry] = []
    for entry in entries:
        if entry.kind != STREAM or not entry.data:
            continue
        if len(entry.data) < MINI_CUTOFF:
            entry.start = len(mini_fat)
            count = -(-len(entry.data) // MINI_SECTOR)
            mini_fat += [len(mini_fat) + i + 1 for i in range(count - 1)] + [END_OF_CHAIN]
            mini_stream += entry.data.ljust(count * MINI_SECTOR, b"\0")
        else:
            big.append(entry)
    fat: list[int] = []
    sectors = bytearray()

    def place(data: bytes) -> int:
        """Append `data` as a chain of sectors; returns its first sector."""
        if not data:
            return END_OF_CHAIN
        first = len(fat)
        count = -(-len(data) // SECTOR)
        fat.extend([first + i + 1 for i in range(count - 1)] + [END_OF_CHAIN])
        sectors.extend(data.ljust(count * SECTOR, b"\0"))
        return first

    for entry in big:
        entry.start = place(entry.data)
    entries[0].start = place(bytes(mini_stream))
    entries[0].data = bytes(mini_stream)
    mini_fat_start = place(b"".join(struct.pack("<I", n) for n in mini_fat))
    directory_start = place(b"".join(_directory_entry(e) for e in entries))
    fat_count = 1
    while fat_count * (SECTOR // 4) < len(fat) + fat_count:
        fat_count += 1
    if fat_count > HEADER_FAT_SLOTS:
        raise ValueError("message too large for this small writer")
    fat_first = len(fat)
    fat.extend([FAT_SECTOR_MARK] * fat_count)
    fat.extend([FREE] * (fat_count * (SECTOR // 4) - len(fat)))
    sectors.extend(b"".join(struct.pack("<I", n) for n in fat))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x003E,  # minor version
        0x0003,  # major version 3: 512-byte sectors
        0xFFFE,  # little-endian
        9,  # sector size 2**9
        6,  # mini sector size 2**6
        b"\0" * 6,
        0,  # directory sectors (always 0 in version 3)
        fat_count,
        directory_start,
        0,  # transaction signature
        MINI_CUTOFF,
        mini_fat_start if mini_fat else END_OF_CHAIN,
        -(-len(mini_fat) * 4 // SECTOR),
        END_OF_CHAIN,  # no DIFAT sectors
        0,
    )
    slots = [fat_first + i for i in range(fat_count)] + [FREE] * (HEADER_FAT_SLOTS - fat_count)
    header += b"".join(struct.pack("<I", n) for n in slots)
    return header + bytes(sectors)


def _add_children(entries: list[_Entry], parent: int, tree: Tree) -> None:
    for name, value in tree.items():
        entries.append(_Entry(name, STREAM, value) if isinstance(value, bytes) else _Entry(name, STORAGE))
        index = len(entries) - 1
        entries[parent].children.append(index)
        if not isinstance(value, bytes):
            _add_children(entries, index, value)
    # Siblings form a binary search tree ordered by name length, then upper-cased name (MS-CFB 2.6.4); a balanced
    # tree of black nodes is a valid red-black tree.
    ordered = sorted(entries[parent].children, key=lambda i: (len(entries[i].name), entries[i].name.upper()))
    entries[parent].child = _balanced(entries, ordered)


def _balanced(entries: list[_Entry], ordered: list[int]) -> int:
    if not ordered:
        return NO_STREAM
    middle = len(ordered) // 2
    root = ordered[middle]
    entries[root].left = _balanced(entries, ordered[:middle])
    entries[root].right = _balanced(entries, ordered[middle + 1 :])
    return root


def _directory_entry(entry: _Entry) -> bytes:
    name = entry.name.encode("utf-16-le")
    if len(name) > 62:
        raise ValueError(f"compound file names are at most 31 characters: {entry.name!r}")
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name,
        len(name) + 2,
        entry.kind,
        BLACK,
        entry.left,
        entry.right,
        entry.child,
        b"\0" * 16,
        0,
        0,
        0,
        entry.start,
        len(entry.data),
    )


# -- MAPI properties (MS-OXMSG) -------------------------------------------------------------------------------------
PT_LONG, PT_BOOLEAN, PT_SYSTIME, PT_UNICODE, PT_BINARY, PT_OBJECT = 0x0003, 0x000B, 0x0040, 0x001F, 0x0102, 0x000D
READ_WRITE = 0x00000006
FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)
ATTACH_BY_VALUE, ATTACH_EMBEDDED_MSG = 1, 5
TO, CC = 1, 2
PropValue = int | bool | datetime | str | bytes


@dataclass(frozen=True)
class MsgRecipient:
    name: str
    address: str
    kind: int = TO


@dataclass(frozen=True)
class MsgAttachment:
    name: str
    data: bytes | MsgMessage  # a message: attached as an e-mail (embedded message)
    mime_type: str = "application/octet-stream"
    content_id: str = ""  # set for inline images the HTML body shows as cid:<content_id>


@dataclass(frozen=True)
class MsgMessage:
    subject: str
    sender_name: str
    sender_address: str
    sent: datetime
    recipients: tuple[MsgRecipient, ...] = ()
    text_body: str = ""
    html_body: str = ""
    compressed_rtf: bytes = b""  # PR_RTF_COMPRESSED, e.g. from compressed_rtf.compress()
    attachments: tuple[MsgAttachment, ...] = ()


PADDING_PROPERTY = 0x6701  # provider-private range (0x6600-0x67FF): every reader skips it


def msg_bytes(message: MsgMessage, padding: int = 0) -> bytes:
    """A whole .msg file holding `message`, `padding` bytes bigger (a private property no reader shows)."""
    extra: list[tuple[int, int, PropValue]] = [(PADDING_PROPERTY, PT_BINARY, b"\0" * padding)] if padding > 0 else []
    tree = _message_tree(message, embedded=False, extra=extra)
    # The named-property mapping storage must exist, even when no named property is used.
    tree["__nameid_version1.0"] = {f"__substg1.0_{n:04X}0102": b"" for n in (2, 3, 4)}
    return compound_file(tree)


def _message_tree(
    message: MsgMessage, *, embedded: bool, extra: list[tuple[int, int, PropValue]] | None = None
) -> Tree:
    props: list[tuple[int, int, PropValue]] = [
        (0x001A, PT_UNICODE, "IPM.Note"),  # PR_MESSAGE_CLASS
        (0x0037, PT_UNICODE, message.subject),
        (0x0E1D, PT_UNICODE, message.subject),  # PR_NORMALIZED_SUBJECT
        (0x0C1A, PT_UNICODE, message.sender_name),  # PR_SENDER_NAME
        (0x0C1F, PT_UNICODE, message.sender_address),  # PR_SENDER_EMAIL_ADDRESS
        (0x0C1E, PT_UNICODE, "SMTP"),  # PR_SENDER_ADDRTYPE
        (0x5D01, PT_UNICODE, message.sender_address),  # PR_SENDER_SMTP_ADDRESS
        (0x0042, PT_UNICODE, message.sender_name),  # PR_SENT_REPRESENTING_NAME
        (0x0039, PT_SYSTIME, message.sent),  # PR_CLIENT_SUBMIT_TIME
        (0x0E06, PT_SYSTIME, message.sent),  # PR_MESSAGE_DELIVERY_TIME
        (0x0E07, PT_LONG, 0x1),  # PR_MESSAGE_FLAGS: read, sent (not MSGFLAG_UNSENT)
        (0x3FDE, PT_LONG, 65001),  # PR_INTERNET_CPID: UTF-8
        (0x340D, PT_LONG, 0x00040000),  # PR_STORE_SUPPORT_MASK: STORE_UNICODE_OK
        (0x0E1B, PT_BOOLEAN, bool(message.attachments)),  # PR_HASATTACH
    ]
    for kind, field_id in ((TO, 0x0E04), (CC, 0x0E03)):  # PR_DISPLAY_TO / PR_DISPLAY_CC
        shown = "; ".join(r.name for r in message.recipients if r.kind == kind)
        if shown:
            props.append((field_id, PT_UNICODE, shown))
    if message.text_body:
        props.append((0x1000, PT_UNICODE, message.text_body))  # PR_BODY
    if message.html_body:
        props.append((0x1013, PT_BINARY, message.html_body.encode("utf-8")))  # PR_HTML
    if message.compressed_rtf:
        props.append((0x1009, PT_BINARY, message.compressed_rtf))  # PR_RTF_COMPRESSED
        props.append((0x0E1F, PT_BOOLEAN, True))  # PR_RTF_IN_SYNC
    props += extra or []
    recipients, attachments = len(message.recipients), len(message.attachments)
    # Reserved, next recipient and attachment ids, their counts; 8 more reserved bytes on the top-level message only.
    header = b"\0" * 8 + struct.pack("<IIII", recipients, attachments, recipients, attachments)
    tree = _properties(props, header=header + (b"" if embedded else b"\0" * 8))
    for index, recipient in enumerate(message.recipients):
        tree[f"__recip_version1.0_#{index:08X}"] = _properties(
            [
                (0x0C15, PT_LONG, recipient.kind),  # PR_RECIPIENT_TYPE
                (0x3001, PT_UNICODE, recipient.name),  # PR_DISPLAY_NAME
                (0x3002, PT_UNICODE, "SMTP"),  # PR_ADDRTYPE
                (0x3003, PT_UNICODE, recipient.address),  # PR_EMAIL_ADDRESS
                (0x39FE, PT_UNICODE, recipient.address),  # PR_SMTP_ADDRESS
                (0x3000, PT_LONG, index),  # PR_ROWID
            ],
            header=b"\0" * 8,
        )
    for index, attachment in enumerate(message.attachments):
        tree[f"__attach_version1.0_#{index:08X}"] = _attachment_tree(attachment, index)
    return tree


def _attachment_tree(attachment: MsgAttachment, index: int) -> Tree:
    props: list[tuple[int, int, PropValue]] = [
        (0x3001, PT_UNICODE, attachment.name),  # PR_DISPLAY_NAME
        (0x0E21, PT_LONG, index),  # PR_ATTACH_NUM
        (0x370B, PT_LONG, 0xFFFFFFFF),  # PR_RENDERING_POSITION: not rendered in the body text
    ]
    if isinstance(attachment.data, MsgMessage):
        props.append((0x3705, PT_LONG, ATTACH_EMBEDDED_MSG))
        props.append((0x3701, PT_OBJECT, b""))
        tree = _properties(props, header=b"\0" * 8)
        tree["__substg1.0_3701000D"] = _message_tree(attachment.data, embedded=True)
        return tree
    props += [
        (0x3705, PT_LONG, ATTACH_BY_VALUE),  # PR_ATTACH_METHOD
        (0x3707, PT_UNICODE, attachment.name),  # PR_ATTACH_LONG_FILENAME
        (0x3704, PT_UNICODE, attachment.name[-12:]),  # PR_ATTACH_FILENAME (the 8.3 name; any short form does)
        (0x3703, PT_UNICODE, "." + attachment.name.rsplit(".", 1)[-1] if "." in attachment.name else ""),
        (0x370E, PT_UNICODE, attachment.mime_type),  # PR_ATTACH_MIME_TAG
        (0x3701, PT_BINARY, attachment.data),  # PR_ATTACH_DATA_BIN
    ]
    if attachment.content_id:
        props.append((0x3712, PT_UNICODE, attachment.content_id))  # PR_ATTACH_CONTENT_ID
        props.append((0x7FFE, PT_BOOLEAN, True))  # PR_ATTACHMENT_HIDDEN: an inline image, not a listed file
    return _properties(props, header=b"\0" * 8)


def _properties(props: list[tuple[int, int, PropValue]], header: bytes) -> Tree:
    """The `__properties_version1.0` stream (fixed values inline, sizes of the others) and one stream per
    variable-size value."""
    tree: Tree = {}
    entries = [header]
    for prop_id, prop_type, value in props:
        tag = (prop_id << 16) | prop_type
        if prop_type in (PT_UNICODE, PT_BINARY):
            data = value.encode("utf-16-le") if isinstance(value, str) else bytes(value)  # type: ignore[arg-type]
            tree[f"__substg1.0_{tag:08X}"] = data
            size = len(data) + 2 if prop_type == PT_UNICODE else len(data)
            entries.append(struct.pack("<IIII", tag, READ_WRITE, size, 0))
        elif prop_type == PT_OBJECT:
            entries.append(struct.pack("<IIII", tag, READ_WRITE, 0xFFFFFFFF, 0))
        elif prop_type == PT_SYSTIME:
            assert isinstance(value, datetime)
            ticks = (value - FILETIME_EPOCH) // timedelta(microseconds=1) * 10  # FILETIME counts 100 ns
            entries.append(struct.pack("<IIQ", tag, READ_WRITE, ticks))
        else:
            entries.append(struct.pack("<IIQ", tag, READ_WRITE, int(value) & 0xFFFFFFFF))  # type: ignore[arg-type]
    tree["__properties_version1.0"] = b"".join(entries)
    return tree
