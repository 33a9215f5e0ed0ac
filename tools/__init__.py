"""Tools the graph calls, each behind a small interface: text-to-image (``t2i``), the
content-addressed image store and thread index (``image_store``), BLIP-VQA (``vqa``)."""
