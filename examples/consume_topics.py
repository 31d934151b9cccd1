#!/usr/bin/python3
"""Reads segstream's topics without segstream's code: Debian's python3-confluent-kafka, numpy and PIL.

Prints, per camera, the frames on frame-stats (read_committed), the mean drivable share of the ego
corridor and the classes seen; writes one mask coloured with its model's own colours, the model
found on the masks topic by the digest the mask names (header ss.model-digest).

    /usr/bin/python3 examples/consume_topics.py --bootstrap-servers 127.0.0.1:9092 --mask-png mask.png

Every header is UTF-8 text and every record a CloudEvent in the Kafka binding's binary mode
(ce_type, ce_source = the camera, content-type), so nothing here decodes binary numbers.
"""
import argparse
import hashlib
import io
import json
import sys
from collections import OrderedDict

import numpy as np
from confluent_kafka import Consumer, KafkaError, TopicPartition
from PIL import Image

MAX_MASK_BYTES = 16 * 1024 * 1024  # the topics' max.message.bytes
MAX_MASK_PIXELS = 8192 * 8192


def headers_of(msg):
    """The record's headers as a dict of text (the last value of a repeated name wins)."""
    return {k: (v.decode("utf-8") if v is not None else None) for k, v in (msg.headers() or [])}


def read_all(bootstrap, topic, on_record, idle_s):
    """Every record of every partition of topic, from the start to the end (the last stable offset)."""
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": "segstream-example",  # unused: partitions are assigned, offsets never committed
        "enable.auto.commit": False,
        "isolation.level": "read_committed",
        "enable.partition.eof": True,
    })
    try:
        meta = consumer.list_topics(topic, timeout=idle_s)
        if meta.topics[topic].error is not None:
            sys.exit(f"consume_topics: topic {topic}: {meta.topics[topic].error}")
        partitions = [TopicPartition(topic, p, 0) for p in meta.topics[topic].partitions]
        consumer.assign(partitions)
        open_partitions = {p.partition for p in partitions}
        while open_partitions:
            msg = consumer.poll(idle_s)
            if msg is None:
                sys.exit(f"consume_topics: {topic}: nothing for {idle_s} s before its end")
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    open_partitions.discard(msg.partition())
                    continue
                sys.exit(f"consume_topics: {topic}: {msg.error()}")
            on_record(msg)
    finally:
        consumer.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bootstrap-servers", default="127.0.0.1:9092")
    p.add_argument("--topic-prefix", default="", help="the prefix the services were given (--topic-prefix)")
    p.add_argument("--mask-png", help="write the last ok mask of the first camera here, in its model's colours")
    p.add_argument("--idle-seconds", type=float, default=30.0)
    args = p.parse_args()

    cameras = OrderedDict()

    def on_stats(msg):
        h = headers_of(msg)
        if h.get("ce_type") != "io.segstream.frame-stats":
            return  # end-of-stream summaries (io.segstream.end-of-stream) and anything foreign
        stats = json.loads(msg.value())
        c = cameras.setdefault(msg.key().decode("utf-8"), {"frames": 0, "ok": 0, "drivable": [], "seen": set()})
        c["frames"] += 1
        if stats["status"] != "ok":
            return
        c["ok"] += 1
        c["seen"].update(name for name, share in stats["classes"].items() if share > 0)
        if stats.get("driving"):
            c["drivable"].append(stats["driving"]["corridor"]["drivable"])

    read_all(args.bootstrap_servers, args.topic_prefix + "frame-stats", on_stats, args.idle_seconds)
    for camera, c in cameras.items():
        drivable = f"{sum(c['drivable']) / len(c['drivable']):.4f}" if c["drivable"] else "none"
        print(f"camera {camera}: frames {c['frames']}, ok {c['ok']}, drivable {drivable}, "
              f"classes seen {','.join(sorted(c['seen']))}")

    if not args.mask_png:
        return
    if not cameras:
        sys.exit("consume_topics: no frame-stats records: no mask to draw")
    camera = next(iter(cameras))
    models = {}  # description digest -> description
    last = {}

    def on_mask(msg):
        h = headers_of(msg)
        if h.get("ce_type") == "io.segstream.model-description":
            models[hashlib.sha256(msg.value()).hexdigest()] = json.loads(msg.value())
        elif (h.get("ce_type") == "io.segstream.mask" and h.get("ss.status") == "ok"
              and msg.key().decode("utf-8") == camera and len(msg.value()) <= MAX_MASK_BYTES):
            last["mask"] = (h, msg.value())

    read_all(args.bootstrap_servers, args.topic_prefix + "masks", on_mask, args.idle_seconds)
    if "mask" not in last:
        sys.exit(f"consume_topics: no ok mask of camera {camera} on {args.topic_prefix}masks")
    h, png = last["mask"]
    model = models.get(h.get("ss.model-digest"))
    if model is None:
        sys.exit(f"consume_topics: no description of model {h['ss.model']} with digest {h.get('ss.model-digest')}")
    Image.MAX_IMAGE_PIXELS = MAX_MASK_PIXELS
    ids = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    palette = np.zeros((256, 3), dtype=np.uint8)
    for cls in model["classes"]:
        palette[cls["id"]] = [int(cls["color"][i:i + 2], 16) for i in (1, 3, 5)]
    Image.fromarray(palette[ids], "RGB").save(args.mask_png)
    print(f"mask of {camera} frame {h['ss.seq']} (session {h['ss.session']}, model {model['model']}, "
          f"{ids.shape[1]}x{ids.shape[0]}) written to {args.mask_png}")


if __name__ == "__main__":
    main()
