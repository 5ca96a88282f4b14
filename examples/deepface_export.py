#!/usr/bin/env python3
"""Write DeepFace embeddings in distconf's format: one line per image,
NAME<TAB>v1<TAB>v2...

This script is documentation: it shows a DeepFace user how to feed their own
photographs to distconf.  It is not run by the tests (it needs DeepFace, its
model weights and your images), and distconf does not depend on Python.

    python3 deepface_export.py --model Facenet photos/*.jpg > embeddings.tsv
    gzip embeddings.tsv          # optional: pairdist reads .gz as it is

Then list the photographs by person in an identities file,

    embeddings: embeddings.tsv.gz
    identities:
      alice: [a1.jpg, a2.jpg]
      bob: [b1.jpg, b2.jpg, b3.jpg]

and run the article's pipeline:

    pairgen ids.yaml | pairdist -m all | logfit --model Facenet -o model.yaml
    pairgen ids.yaml | pairdist -m all | confmap -M model.yaml | confplot --svg conf.svg

The names in the first column are what the identities file must list; this
script uses each file's base name (img1.jpg), as the article does.
"""
import argparse
import os
import sys

from deepface import DeepFace


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("images", nargs="+", help="image files, one face each")
    ap.add_argument("--model", default="Facenet", help="DeepFace model (default Facenet)")
    ap.add_argument("--detector", default="mtcnn", help="face detector (default mtcnn, as the article)")
    args = ap.parse_args()

    out = sys.stdout
    for path in args.images:
        faces = DeepFace.represent(img_path=path, model_name=args.model,
                                   detector_backend=args.detector)
        if len(faces) != 1:
            # The article skips such photographs too: which face would it be?
            print(f"{path}: {len(faces)} faces found, skipped", file=sys.stderr)
            continue
        # repr() of a Python float reads back exactly, and a float32 value
        # printed this way is exactly what pairdist stores.
        values = "\t".join(repr(float(v)) for v in faces[0]["embedding"])
        out.write(f"{os.path.basename(path)}\t{values}\n")


if __name__ == "__main__":
    main()
