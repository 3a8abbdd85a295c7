"""Typed views of the library's JSON documents: diagnose, settings and plan.

Each keeps the document it was read from as `.json`; keys follow the CLI's
JSON contract (sizes in bytes under keys ending in `Bytes`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

__all__ = [
    "HostMemory", "ContainerMemory", "ProcessMemory", "GPU", "GPURecommendation", "Recommendations",
    "Diagnosis", "Settings", "PlanRow", "Plan",
]

JSON = dict[str, Any]


def _int(value: Any) -> Optional[int]:
    return None if value is None else int(value)


@dataclass(frozen=True)
class HostMemory:
    """Host RAM from /proc/meminfo, in bytes; used = total − available."""

    total_bytes: int
    available_bytes: int
    used_bytes: int
    free_bytes: int
    cached_bytes: int
    swap_total_bytes: int
    swap_used_bytes: int
    used_percent: float

    @classmethod
    def from_json(cls, data: JSON) -> HostMemory:
        return cls(total_bytes=int(data["totalBytes"]), available_bytes=int(data["availableBytes"]),
                   used_bytes=int(data["usedBytes"]), free_bytes=int(data.get("freeBytes", 0)),
                   cached_bytes=int(data.get("cachedBytes", 0)), swap_total_bytes=int(data.get("swapTotalBytes", 0)),
                   swap_used_bytes=int(data.get("swapUsedBytes", 0)),
                   used_percent=float(data.get("usedPercent", 0.0)))


@dataclass(frozen=True)
class ContainerMemory:
    """The memory cgroup's limit and working set; None fields were not readable."""

    limit_bytes: Optional[int]
    usage_bytes: Optional[int]
    available_bytes: Optional[int]
    peak_bytes: Optional[int]
    oom_kills: Optional[int]
    path: str
    version: str

    @classmethod
    def from_json(cls, data: JSON) -> ContainerMemory:
        return cls(limit_bytes=_int(data.get("limitBytes")), usage_bytes=_int(data.get("usageBytes")),
                   available_bytes=_int(data.get("availableBytes")), peak_bytes=_int(data.get("peakBytes")),
                   oom_kills=_int(data.get("oomKills")), path=str(data.get("cgroupPath", "")),
                   version=str(data.get("version", "")))


@dataclass(frozen=True)
class ProcessMemory:
    """This process (the root) and the totals over its tree."""

    pid: int
    name: str
    rss_bytes: int
    peak_rss_bytes: int
    pss_bytes: Optional[int]
    total_rss_bytes: int
    total_pss_bytes: Optional[int]

    @classmethod
    def from_json(cls, data: JSON) -> ProcessMemory:
        root = data["root"]
        return cls(pid=int(root["pid"]), name=str(root.get("name", "")), rss_bytes=int(root["rssBytes"]),
                   peak_rss_bytes=int(root.get("peakRSSBytes", root["rssBytes"])),
                   pss_bytes=_int(root.get("pssBytes")),
                   total_rss_bytes=int(data.get("totalRSSBytes", root["rssBytes"])),
                   total_pss_bytes=_int(data.get("totalPSSBytes")))


@dataclass(frozen=True)
class GPU:
    """One GPU as NVML reports it; memory fields are None where the driver could not say (see `issues`)."""

    index: int
    name: Optional[str]
    uuid: Optional[str]
    total_bytes: Optional[int]
    free_bytes: Optional[int]
    used_bytes: Optional[int]
    reserved_bytes: Optional[int]
    is_unified_memory: bool
    issues: list[str]

    @classmethod
    def from_json(cls, data: JSON) -> GPU:
        memory = data.get("memory") or {}
        issues = [f"{issue.get('field')}: {issue.get('reason')}" for issue in data.get("issues", [])]
        return cls(index=int(data["index"]), name=data.get("name"), uuid=data.get("uuid"),
                   total_bytes=_int(memory.get("totalBytes")), free_bytes=_int(memory.get("freeBytes")),
                   used_bytes=_int(memory.get("usedBytes")), reserved_bytes=_int(memory.get("reservedBytes")),
                   is_unified_memory=bool(data.get("isUnifiedMemory", False)), issues=issues)


@dataclass(frozen=True)
class GPURecommendation:
    """What one GPU can be given: memory limit = free × margin; memory_fraction = limit ÷ total."""

    index: int
    name: Optional[str]
    free_bytes: int
    total_bytes: int
    memory_limit_bytes: int
    memory_fraction: float
    is_unified_memory: bool

    @classmethod
    def from_json(cls, data: JSON) -> GPURecommendation:
        return cls(index=int(data["index"]), name=data.get("name"), free_bytes=int(data["freeBytes"]),
                   total_bytes=int(data["totalBytes"]), memory_limit_bytes=int(data["memoryLimitBytes"]),
                   memory_fraction=float(data["memoryFraction"]),
                   is_unified_memory=bool(data.get("isUnifiedMemory", False)))


@dataclass(frozen=True)
class Recommendations:
    """Settings at one level; warnings are (code, message) pairs."""

    level: str
    safety_margin: float
    host_memory_cap_bytes: int
    threads: int
    gpus: list[GPURecommendation]
    warnings: list[tuple[str, str]]

    @classmethod
    def from_json(cls, data: JSON) -> Recommendations:
        return cls(level=str(data["level"]), safety_margin=float(data["safetyMargin"]),
                   host_memory_cap_bytes=int(data["hostMemoryCapBytes"]), threads=int(data["threads"]),
                   gpus=[GPURecommendation.from_json(gpu) for gpu in data.get("gpus", [])],
                   warnings=[(str(w["code"]), str(w["message"])) for w in data.get("warnings", [])])


@dataclass(frozen=True)
class Diagnosis:
    """`headroom diagnose --json` for this process: host, container, process tree, GPUs, recommendations."""

    host: HostMemory
    container: Optional[ContainerMemory]
    process: Optional[ProcessMemory]
    cpus: int
    gpus: list[GPU]
    recommendations: Recommendations
    problems: list[str]
    json: JSON = field(repr=False)

    @property
    def effective_available_bytes(self) -> int:
        """Memory a workload can take now: the lower of host available and the container's headroom."""
        container = self.container.available_bytes if self.container else None
        host = self.host.available_bytes
        return host if container is None else min(host, container)

    @classmethod
    def from_json(cls, data: JSON) -> Diagnosis:
        container, process = data.get("container"), data.get("process")
        cpu = data.get("cpu") or {}
        return cls(host=HostMemory.from_json(data["host"]),
                   container=ContainerMemory.from_json(container) if container else None,
                   process=ProcessMemory.from_json(process) if process else None,
                   cpus=int(cpu.get("effective", cpu.get("logical", 1))),
                   gpus=[GPU.from_json(gpu) for gpu in data.get("gpus", [])],
                   recommendations=Recommendations.from_json(data["recommendations"]),
                   problems=[str(problem) for problem in data.get("problems", [])], json=data)


@dataclass(frozen=True)
class Settings:
    """`headroom env --format json`: the variables, and the values the frameworks take from Python."""

    variables: dict[str, str]
    onnxruntime: dict[str, str]
    torch_memory_fraction: Optional[float]
    tf_memory_limit_mb: Optional[int]
    gpu_index: Optional[int]
    gpu_memory_limit_bytes: Optional[int]
    gpu_memory_fraction: Optional[float]
    notes: list[str]
    json: JSON = field(repr=False)

    @classmethod
    def from_json(cls, data: JSON) -> Settings:
        variables = {str(v["name"]): str(v["value"]) for v in data.get("variables", [])}
        options = {str(o["key"]): str(o["value"]) for o in data.get("onnxRuntimeCUDAOptions", [])}
        fraction = variables.get("HEADROOM_TORCH_MEMORY_FRACTION")
        limit_mb = variables.get("HEADROOM_TF_MEMORY_LIMIT_MB")
        return cls(variables=variables, onnxruntime=options,
                   torch_memory_fraction=float(fraction) if fraction is not None else None,
                   tf_memory_limit_mb=int(limit_mb) if limit_mb is not None else None,
                   gpu_index=_int(data.get("gpuIndex")),
                   gpu_memory_limit_bytes=_int(data.get("gpuMemoryLimitBytes")),
                   gpu_memory_fraction=data.get("gpuMemoryFraction"),
                   notes=[str(note) for note in data.get("notes", [])], json=data)


@dataclass(frozen=True)
class PlanRow:
    """One row of the plan's table: the memory a batch needs, by part."""

    batch_size: int
    total_bytes: int
    parts: dict[str, int]
    phase: Optional[str] = None
    first_step_bytes: Optional[int] = None

    @classmethod
    def from_json(cls, row: JSON) -> PlanRow:
        first = row.get("firstStepTotalBytes")
        return cls(batch_size=int(row["batchSize"]), total_bytes=int(row["totalBytes"]),
                   parts={str(p["name"]): int(p["sizeBytes"]) for p in row.get("parts", [])},
                   phase=row.get("phase"), first_step_bytes=None if first is None else int(first))


@dataclass(frozen=True)
class Plan:
    """`headroom plan --json`: n items need fixed_bytes + per_item_bytes × n, reserve and overhead included."""

    fixed_bytes: int
    per_item_bytes: int
    weight_bytes: int
    parameter_count: int
    table: list[PlanRow]
    notes: list[str]
    json: JSON = field(repr=False)
    estimate: Optional[PlanRow] = None
    model_class: Optional[str] = None

    def bytes_for(self, batch_size: int) -> int:
        """The memory a batch of `batch_size` items needs, on the line through the plan (never below its table)."""
        return self.fixed_bytes + self.per_item_bytes * batch_size

    def largest_batch(self, budget_bytes: int) -> int:
        """The largest batch within `budget_bytes`; 0 when not even one item fits."""
        if self.per_item_bytes <= 0:
            return 0 if budget_bytes < self.fixed_bytes else 1 << 31
        return max(0, (budget_bytes - self.fixed_bytes) // self.per_item_bytes)

    @classmethod
    def from_json(cls, data: JSON) -> Plan:
        batching, model = data["batching"], data.get("model") or {}
        estimate = data.get("estimate")
        return cls(fixed_bytes=int(batching["fixedBytes"]), per_item_bytes=int(batching["perItemBytes"]),
                   weight_bytes=int(model.get("weightBytes", 0)), parameter_count=int(model.get("parameterCount", 0)),
                   table=[PlanRow.from_json(row) for row in data.get("table", [])],
                   notes=[str(note) for note in data.get("notes", [])], json=data,
                   estimate=None if estimate is None else PlanRow.from_json(estimate),
                   model_class=(data.get("settings") or {}).get("modelClass"))
