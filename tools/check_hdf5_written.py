"""Checks an HDF5 file written by the Swift HDF5 module with h5py: it must hold what HDF5WritingTests.writeWeights
wrote, stored exactly as h5py stores the same writes (datatypes, string encodings, dataspaces, layout, filters,
timestamps), so that Keras reads it as it reads its own files.

    HDF5_WRITTEN_PATH=/tmp/swift-written.h5 swift test --scratch-path .build-hdf5 --filter HDF5WritingTests
    .venv-tools/bin/python tools/check_hdf5_written.py /tmp/swift-written.h5

Exit status 0 when every property matches the h5py-written twin, 1 with the differences listed otherwise.
"""
import os
import sys
import tempfile

import h5py
import numpy as np


def write_twin(path):
    """The same writes as HDF5WritingTests.writeWeights, made with h5py."""
    with h5py.File(path, "w") as f:
        dense = f.create_group("layers/dense/vars")
        dense.attrs["name"] = "placeholder"
        dense.attrs["name"] = "dense_é"
        dense["0"] = np.array([[1, 2, 3], [4, 5, -0.5]], "<f4")
        dense["1"] = np.array([0.25, np.inf, -np.finfo(np.float32).max], "<f4")
        optimizer = f.create_group("optimizer").create_group("vars")
        optimizer.attrs["name"] = "adam"
        optimizer["0"] = np.int32(42)
        optimizer["1"] = np.float32(0.001)
        optimizer["2"] = np.array([-1, 1 << 40], "<i8")
        optimizer["3"] = np.zeros((0, 4), "<f4")
        f.create_group("vars").attrs["name"] = "sequential"


def type_properties(tid):
    props = {"class": tid.get_class(), "size": tid.get_size()}
    if tid.get_class() == h5py.h5t.STRING:
        props.update(variable=tid.is_variable_str(), cset=tid.get_cset(), pad=tid.get_strpad())
    else:
        props.update(order=tid.get_order(), dtype=tid.dtype.str)
    return props


def space_properties(sid):
    return {"class": sid.get_simple_extent_type(), "shape": sid.shape}


def attributes(obj):
    out = {}
    for name in obj.attrs:
        aid = obj.attrs.get_id(name)
        out[name] = {"type": type_properties(aid.get_type()), "space": space_properties(aid.get_space()), "value": obj.attrs[name]}
    return out


def properties(path):
    """Everything h5py can tell about each object in the file."""
    found = {}
    with h5py.File(path, "r") as f:
        found["/"] = {"kind": "group", "attributes": attributes(f), "links": list(f.keys())}

        def visit(name, obj):
            if isinstance(obj, h5py.Group):
                found[name] = {"kind": "group", "attributes": attributes(obj), "links": list(obj.keys()),
                               "track_times": obj.id.get_create_plist().get_obj_track_times()}
                return
            dcpl = obj.id.get_create_plist()
            found[name] = {"kind": "dataset", "attributes": attributes(obj), "type": type_properties(obj.id.get_type()),
                           "space": space_properties(obj.id.get_space()), "layout": dcpl.get_layout(),
                           "filters": dcpl.get_nfilters(), "track_times": dcpl.get_obj_track_times(),
                           "fill_time": dcpl.get_fill_time(), "values": obj[()].tobytes()}
        f.visititems(visit)
    return found


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with tempfile.TemporaryDirectory() as folder:
        twin_path = os.path.join(folder, "twin.h5")
        write_twin(twin_path)
        swift, twin = properties(sys.argv[1]), properties(twin_path)
        same_bytes = open(sys.argv[1], "rb").read() == open(twin_path, "rb").read()
        print(f"Swift file {os.path.getsize(sys.argv[1])} bytes, h5py twin {os.path.getsize(twin_path)} bytes, "
              f"byte-identical: {same_bytes}")
    differences = [f"{name}: Swift {swift.get(name)!r}\n    h5py  {twin.get(name)!r}"
                   for name in sorted(set(swift) | set(twin)) if swift.get(name) != twin.get(name)]
    for difference in differences:
        print("DIFFERENT", difference)
    print(f"{len(twin)} objects compared, {len(differences)} different")
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
