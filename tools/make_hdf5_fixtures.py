"""Generates Fixtures/hdf5/ for the HDF5 module's tests, with real h5py (and real Keras 3 for tiny.weights.h5).

    KERAS_BACKEND=jax .venv-tools/bin/python tools/make_hdf5_fixtures.py

Writes, next to each `<name>.h5`, a `<name>.json` describing everything in the file as h5py reads it back: every
group (its links in HDF5's name order with their kinds, its attributes), every dataset (element type, shape, values
as float32 bit patterns, as int64 and as strings, each null when the Swift reader must refuse that conversion) and
every attribute (strings or numbers, plus the stored string form). Before writing the JSON the script checks that
h5py reads back exactly what it wrote (`sample.h5`) or what the model holds (`tiny.weights.h5`), so the Swift tests
compare against values produced here, never typed by hand.

`written_by_h5py.h5` holds the writes of the Swift HDF5WritingTests made with h5py (`tools/check_hdf5_written.py`
defines them): the Swift writer's in-memory image must equal it byte for byte.
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import h5py  # noqa: E402
import keras  # noqa: E402
import ml_dtypes  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_hdf5_written import write_twin  # noqa: E402

FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "hdf5")
INT64_RANGE = (-(2 ** 63), 2 ** 63)


def float32_bits(values):
    """What the Swift reader's readFloats() must return, as bit patterns (exact for NaN, -0 and infinities)."""
    with np.errstate(over="ignore"):
        return np.asarray(values).astype(np.float32).view(np.uint32).ravel().tolist()


def int64s(values):
    """What readInt64s() must return: integers as they are, floats truncated toward zero; None when one does not fit."""
    a = np.asarray(values).ravel()
    if a.dtype.kind in "iu":
        return None if any(int(v) >= INT64_RANGE[1] for v in a) else [int(v) for v in a]
    d = a.astype(np.float64)
    if not np.all(np.isfinite(d)) or any(not INT64_RANGE[0] <= int(np.trunc(v)) < INT64_RANGE[1] for v in d):
        return None
    return [int(np.trunc(v)) for v in d]


def decode(value, pad=None):
    """A string or bytes element as text (bytes as UTF-8; space-padded fixed strings lose their padding)."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return value.rstrip(" ") if pad == h5py.h5t.STR_SPACEPAD else value


def describe_attribute(obj, name):
    tid = obj.attrs.get_id(name).get_type()
    value = np.asarray(obj.attrs[name])
    entry = {"strings": None, "numbers": None}
    if tid.get_class() == h5py.h5t.STRING:
        pad = None if tid.is_variable_str() else tid.get_strpad()
        entry["strings"] = [decode(v, pad) for v in value.ravel().tolist()]
        entry["form"] = {"variable": bool(tid.is_variable_str()), "cset": ["ascii", "utf8"][tid.get_cset()],
                         "pad": {0: "nullterm", 1: "nullpad", 2: "spacepad"}[tid.get_strpad()],
                         "size": None if tid.is_variable_str() else tid.get_size(), "shape": list(value.shape)}
    else:
        entry["numbers"] = [float(v) for v in value.ravel().tolist()]
        if value.size == 0:
            entry["strings"] = []  # h5py writes an empty list as an empty float64 array
    return entry


def attribute_names(obj):
    return sorted(obj.attrs.keys(), key=lambda n: n.encode())  # HDF5's name order: bytes


def describe_dataset(ds):
    attrs = {n: describe_attribute(ds, n) for n in attribute_names(ds)}
    entry = {"shape": list(ds.shape), "float32_bits": None, "int64s": None, "strings": None, "attributes": attrs}
    tid = ds.id.get_type()
    if ds.size > 2 ** 31:
        entry["element_type"] = ds.dtype.name  # declared bigger than the Swift reader accepts: every read must throw
    elif tid.get_class() == h5py.h5t.OPAQUE:
        is_bf16 = tid.get_size() == 2 and ds.attrs.get("dtype") == "bfloat16"
        entry["element_type"] = "bfloat16" if is_bf16 else f"HDF5 type class {tid.get_class()} of {tid.get_size() * 8} bits"
        if is_bf16:
            raw = ds[()].view("<u2").astype(np.uint32) << 16
            entry["float32_bits"] = raw.ravel().tolist()
            entry["int64s"] = int64s(raw.view(np.float32))
    elif tid.get_class() == h5py.h5t.STRING:
        entry["element_type"] = "strings"
        pad = None if tid.is_variable_str() else tid.get_strpad()
        entry["strings"] = [decode(v, pad) for v in np.asarray(ds[()], dtype=object).ravel().tolist()]
    else:
        entry["element_type"] = ds.dtype.name
        entry["float32_bits"] = float32_bits(ds[()])
        entry["int64s"] = int64s(ds[()])
    return entry


def describe(path):
    """Every group, dataset and attribute of the file at `path`, as h5py reads them."""
    groups, datasets = {}, {}

    def visit(group, where):
        children = {}
        for name in sorted(group.keys(), key=lambda n: n.encode()):
            link = group.get(name, getlink=True)
            child = group.get(name)
            kind = "group" if isinstance(child, h5py.Group) else "dataset" if isinstance(child, h5py.Dataset) else "other"
            children[name] = kind
            child_path = where.rstrip("/") + "/" + name
            if isinstance(link, h5py.HardLink) and kind == "group":
                visit(child, child_path)
            elif isinstance(link, h5py.HardLink) and kind == "dataset":
                datasets[child_path] = describe_dataset(child)
        groups[where] = {"children": children, "attributes": {n: describe_attribute(group, n) for n in attribute_names(group)}}

    with h5py.File(path, "r") as f:
        visit(f, "/")
    return {"h5py": h5py.__version__, "hdf5": h5py.version.hdf5_version, "groups": groups, "datasets": datasets}


def fixed_string_attribute(obj, name, text, size, pad):
    """A scalar fixed-length ASCII string attribute with the given padding (h5py's high level only writes NULLPAD)."""
    tid = h5py.h5t.C_S1.copy()
    tid.set_size(size)
    tid.set_strpad(pad)
    aid = h5py.h5a.create(obj.id, name.encode(), tid, h5py.h5s.create(h5py.h5s.SCALAR))
    aid.write(np.array(text.encode(), dtype=f"S{size}"), mtype=tid)


def make_sample(path):
    """Nested groups, every numeric dtype (with special values), scalars, empty and chunked+gzip datasets, Keras's
    bfloat16, string datasets, links, and string attributes in every form Keras files use."""
    rng = np.random.default_rng(7)
    written = {}
    with h5py.File(path, "w") as f:
        f.create_group("layers/dense/vars").attrs["name"] = "dense"
        f["layers/dense/vars/0"] = rng.normal(0, 1, (4, 3)).astype("float32")
        f["layers/dense/vars/1"] = np.zeros(3, "float32")
        f.create_group("empty_group")
        for dtype in ["float16", "float32", "float64"]:
            f[f"numbers/{dtype}"] = rng.normal(0, 100, (3, 4)).astype(dtype)
        f["numbers/float16_special"] = np.array([-0.0, np.inf, -np.inf, np.nan, 6e-08, 65504, 0.1], "float16")
        f["numbers/float32_special"] = np.array([-0.0, np.inf, -np.inf, np.nan, 1e-45, 3.4028235e38, 0.1], "float32")
        f["numbers/float16_big_endian"] = np.array([1.5, -0.0, np.nan, 65504], ">f2")
        f["numbers/int32_big_endian"] = np.array([-2, 70000], ">i4")
        f["numbers/float64_special"] = np.array([1e300, -1e300, 1e-300, np.nan, 0.1, 2.0 ** 62], "float64")
        for dtype in ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]:
            info = np.iinfo(dtype)
            f[f"numbers/{dtype}"] = np.array([[info.min, info.max, 0], [1, 100, info.max // 3]], dtype)
        f["numbers/uint64_small"] = np.array([0, 2 ** 63 - 1], "uint64")
        f["scalars/int32"] = np.int32(7)
        f["scalars/float32"] = np.float32(0.5)
        f["scalars/float64"] = np.float64(-2.5e-3)
        f["empty/1d"] = np.zeros(0, "float32")
        f["empty/2d"] = np.zeros((3, 0), "int64")
        f.create_dataset("huge", shape=(2 ** 30, 4), dtype="float32", chunks=(1024, 4))  # 2^32 elements, none stored
        f.create_dataset("chunked_gzip", data=np.arange(20, dtype="float32").reshape(4, 5) / 8, chunks=(2, 5), compression="gzip")
        # bfloat16 exactly as Keras's H5IOStore writes it: an ml_dtypes array (h5py makes it 2-byte opaque) + attribute.
        bf16 = np.array([1.5, -2.25, 3.0e10, 0.0, -0.0, np.inf, np.nan, 1e-40, 0.1], dtype=ml_dtypes.bfloat16)
        ds = f.create_dataset("bfloat16", data=bf16)
        ds.attrs["dtype"] = "bfloat16"
        f["opaque_unmarked"] = np.array([1, 2], "<u2").view("V2")  # 2-byte opaque without the attribute: not bfloat16
        f["strings/vlen_utf8"] = np.array(["dense", "héllo ✓", ""], dtype=h5py.string_dtype())
        f["strings/vlen_ascii"] = np.array([b"kernel:0", b"bias:0"], dtype=h5py.string_dtype("ascii"))
        f["strings/fixed"] = np.array([b"ab", b"cde"], "S3")
        f["strings/scalar"] = "one"
        f["links/soft_to_vars"] = h5py.SoftLink("/layers/dense/vars")
        f["links/dangling"] = h5py.SoftLink("/nowhere")
        f["links/named_type"] = np.dtype("float32")
        f["links/external"] = h5py.ExternalLink("missing.h5", "/x")

        a = f.attrs
        a["keras_version"] = "2.15.0"                                              # vlen UTF-8 scalar
        a["utf8_scalar"] = "héllo wörld ✓"
        a["bytes_scalar"] = b'{"class_name": "Sequential"}'                        # bytes: vlen ASCII under h5py 3
        a["layer_names"] = np.array([b"dense", b"dense_1"], dtype="S7")            # fixed |S7 array (h5py 2 files)
        a["backend_fixed"] = np.bytes_(b"tensorflow")                              # fixed scalar
        a["weight_names"] = [b"dense/kernel:0", b"dense/bias:0"]                   # vlen byte-string array
        a["utf8_array"] = ["a", "ü", ""]                                           # vlen UTF-8 array
        a["fixed_utf8_array"] = np.array(["é".encode(), b"ab"], dtype=h5py.string_dtype("utf-8", 4))
        a["empty_list"] = []
        a["int_scalar"] = np.int64(42)
        a["float_array"] = np.array([1.5, -2.0, 0.25], "float32")
        a["uint8_array"] = np.array([0, 255], "uint8")
        fixed_string_attribute(f, "nullterm_scalar", "abc", 8, h5py.h5t.STR_NULLTERM)
        fixed_string_attribute(f, "spacepad_scalar", "abc", 6, h5py.h5t.STR_SPACEPAD)
        f["layers"].attrs["weight_names"] = np.array([], dtype="S1")               # an empty fixed string array
        written = {name: np.asarray(f[name][()]) for name in ["numbers/float32", "numbers/int64", "chunked_gzip"]}
    return written


def compact_dataset(group, name, values):
    """A dataset with compact storage (its values inside the object header; h5py's high level has no option)."""
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_layout(h5py.h5d.COMPACT)
    tid = h5py.h5t.py_create(values.dtype)
    dataset = h5py.h5d.create(group.id, name.encode(), tid, h5py.h5s.create_simple(values.shape), dcpl=dcpl)
    dataset.write(h5py.h5s.ALL, h5py.h5s.ALL, values)


def make_formats(path):
    """Valid layouts Keras itself does not write but other h5py users do: a 512-byte user block, chunks with edge
    chunks (2-D and 3-D), shuffle + fletcher32 + gzip, a chunk left uncompressed by h5py, compact storage, and groups
    and attributes with tracked creation order (link messages and a link info message instead of a symbol table)."""
    rng = np.random.default_rng(11)
    with h5py.File(path, "w", userblock_size=512) as f:
        f.create_dataset("chunked/edges", data=rng.normal(0, 1, (5, 7)).astype("float32"), chunks=(2, 3))
        f.create_dataset("chunked/three_d", data=np.arange(60, dtype="int16").reshape(3, 4, 5), chunks=(2, 3, 2))
        f.create_dataset("chunked/filters", data=rng.normal(0, 1, (6, 9)).astype("float64"), chunks=(4, 4),
                         shuffle=True, fletcher32=True, compression="gzip", compression_opts=9)
        f.create_dataset("chunked/incompressible", data=rng.integers(0, 255, (64,), dtype="uint8"), chunks=(64,), compression="gzip")
        f.create_dataset("chunked/strings", data=np.array(["a", "bé", "c"], dtype=h5py.string_dtype()), chunks=(2,))
        compact_dataset(f, "compact", np.array([[1.5, -2.0], [0.25, 8.0]], "float32"))
        ordered = f.create_group("ordered", track_order=True)
        for name in ["zeta", "alpha", "mid"]:
            ordered.create_group(name).attrs["name"] = name
        ordered["alpha/0"] = np.ones(3, "float32")
        ordered.attrs["z_last"] = "written first"
        ordered.attrs["a_first"] = np.int32(3)


def make_latest(path):
    """The same kinds of content written with libver="latest": superblock version 3, version 2 object headers
    (OHDR), link messages, version 3 attribute messages."""
    rng = np.random.default_rng(12)
    with h5py.File(path, "w", libver="latest") as f:
        vars_ = f.create_group("layers/dense/vars")
        vars_.attrs["name"] = "dense"
        vars_["0"] = rng.normal(0, 1, (4, 3)).astype("float32")
        vars_["1"] = np.zeros(3, "float32")
        f["scalar"] = np.float64(0.125)
        f["strings"] = np.array(["x", "héllo"], dtype=h5py.string_dtype())
        f["soft"] = h5py.SoftLink("/layers/dense")
        f.attrs["keras_version"] = "3.15.1"
        f.attrs["weight_names"] = [b"dense/kernel:0", b"dense/bias:0"]
        f.attrs["numbers"] = np.array([1, 2, 3], "int64")


def make_dense(path):
    """libver="latest" with more links and attributes than fit in an object header: dense storage (link and attribute
    messages in fractal heaps, indexed by version 2 B-trees), with one leaf node each."""
    with h5py.File(path, "w", libver="latest") as f:
        group = f.create_group("big")
        for i in range(20):
            group[f"d{i}"] = np.float32(i)
            f.attrs[f"a{i}"] = i
        group["soft"] = h5py.SoftLink("/big/d3")
        f.attrs["text"] = "dense ✓"


def make_dense_big(path):
    """Dense storage large enough for B-trees with internal nodes and heaps with indirect blocks: 1500 links to one
    dataset, 1000 attributes of several types."""
    with h5py.File(path, "w", libver="latest") as f:
        target = f.create_dataset("target", data=np.arange(6, dtype="float32").reshape(2, 3))
        links = f.create_group("links")
        for i in range(1500):
            links[f"link_{i:04d}_{'x' * (i % 7)}"] = target
        attributes = f.create_group("attributes")
        for i in range(1000):
            attributes.attrs[f"attribute_{i:04d}"] = [i, -i] if i % 3 == 0 else (f"value {i} ✓" if i % 3 == 1 else np.float64(i) / 8)


def make_tiny_weights(path):
    """A real Keras 3 weights file: Sequential Input(4) -> Dense(3), save_weights."""
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, bias_initializer="random_normal")])
    model.save_weights(path)
    return model.get_weights()


def main():
    os.makedirs(FOLDER, exist_ok=True)
    sample, tiny = os.path.join(FOLDER, "sample.h5"), os.path.join(FOLDER, "tiny.weights.h5")
    written = make_sample(sample)
    weights = make_tiny_weights(tiny)
    write_twin(os.path.join(FOLDER, "written_by_h5py.h5"))  # what the Swift writer must produce byte for byte
    formats, latest = os.path.join(FOLDER, "formats.h5"), os.path.join(FOLDER, "latest.h5")
    make_formats(formats)
    make_latest(latest)
    dense, dense_big = os.path.join(FOLDER, "dense.h5"), os.path.join(FOLDER, "dense_big.h5")
    make_dense(dense)
    make_dense_big(dense_big)
    for path in (sample, tiny, formats, latest, dense, dense_big):
        with open(path.removesuffix(".h5") + ".json", "w") as out:
            json.dump(describe(path), out, indent=1, ensure_ascii=False)
            out.write("\n")

    # h5py reads back what was written, so the JSON is the generator's data, not the reader's opinion of it.
    read = describe(sample)["datasets"]
    for name, values in written.items():
        assert read["/" + name]["float32_bits"] == float32_bits(values), name
    tiny_read = describe(tiny)["datasets"]
    assert [tiny_read[p]["float32_bits"] for p in ("/layers/dense/vars/0", "/layers/dense/vars/1")] == [float32_bits(w) for w in weights]
    for path in (sample, tiny, formats, latest, dense, dense_big):
        print(path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
