# The course environment as an image: the same Python and the same locked packages as
# `make setup`. Build and run (Chapter 1 explains each line):
#   docker build -t ml-in-production .
#   docker run --rm -p 127.0.0.1:8888:8888 ml-in-production
# A tag such as 3.11.7-slim-bookworm can be re-pushed; for a bit-for-bit rebuild, pin the
# base image by digest (python:3.11.7-slim-bookworm@sha256:...) once you have pulled it.
FROM python:3.11.7-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OMP_NUM_THREADS=1

RUN useradd --create-home student
WORKDIR /srv/course

# Dependencies first: this layer is cached until requirements.txt changes.
COPY requirements.txt .
RUN pip install "$(grep '^pip==' requirements.txt)" \
 && pip install --extra-index-url https://download.pytorch.org/whl/cpu -r requirements.txt

# Then the course itself (code, notebooks, data) and the helpers package.
COPY --chown=student:student . .
RUN pip install --no-deps --no-build-isolation -e .

USER student
EXPOSE 8888
CMD ["jupyter", "lab", "--ip=0.0.0.0", "--port=8888", "--no-browser"]
