"""The benchmark's one layer: a million random points inside the communes."""

from bench.models import KINDS
from gisioc.texts import Text
from layers.registry import Layer, LayerFilter, register

register(
    Layer(
        id="bench-points",
        system="bench",
        title=Text("Điểm thử tải", "Benchmark points"),
        description=Text(
            "1.000.000 điểm sinh ngẫu nhiên trong các xã, chỉ dùng để đo hiệu năng.",
            "1,000,000 random points inside the communes, for benchmarks only.",
        ),
        source="bench.BenchPoint",
        geometry="point",
        properties=("kind",),
        unit_field="unit",
        filters=(LayerFilter("kind", "kind", "choice", Text("Loại", "Kind"), choices=KINDS),),
        cluster_below=11,
        style=({"type": "circle", "paint": {}},),
        visible=False,
        order=900,
    )
)
