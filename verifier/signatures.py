"""Entry signatures checked in batches on worker threads, while the main thread reads on.

Ed25519 verification in `cryptography` releases the GIL, so a few threads verify in parallel with the reading and
parsing of the following entries (one thread more than there are CPUs: the reading thread holds the GIL between
verifications). At most a few batches are in flight, so memory stays bounded however long the log.
"""

from __future__ import annotations

import os
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

from verifier.errors import BadSignature
from verifier.keys import SigningKey, verify_signature

BATCH_SIZE = 512
SignatureJob = tuple[SigningKey, bytes, bytes, int]


def _failures(batch: list[SignatureJob]) -> list[BadSignature]:
    failures = []
    for key, entry_bytes, signature, seq in batch:
        try:
            verify_signature(key, entry_bytes, signature, seq)
        except BadSignature as error:
            failures.append(error)
    return failures


class SignatureChecks:
    """Collects entry signatures to verify; `finish()` waits for them and returns the ones that do not verify.

    Worker threads start only once a first full batch is collected, so a small log is verified without any.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or min(8, (os.cpu_count() or 1) + 1)
        self._executor: ThreadPoolExecutor | None = None
        self._batch: list[SignatureJob] = []
        self._pending: deque[Future[list[BadSignature]]] = deque()
        self._failures: list[BadSignature] = []

    def add(self, key: SigningKey, entry_bytes: bytes, signature: bytes, seq: int) -> None:
        self._batch.append((key, entry_bytes, signature, seq))
        if len(self._batch) >= BATCH_SIZE:
            self._submit()

    def _submit(self) -> None:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="pb-verify-signatures")
        self._pending.append(self._executor.submit(_failures, self._batch))
        self._batch = []
        while len(self._pending) > 2 * self.workers:
            self._failures.extend(self._pending.popleft().result())

    def finish(self) -> list[BadSignature]:
        """Every signature that did not verify, in `seq` order."""
        self._failures.extend(_failures(self._batch))
        self._batch = []
        while self._pending:
            self._failures.extend(self._pending.popleft().result())
        return sorted(self._failures, key=lambda error: error.seq or 0)

    def __enter__(self) -> SignatureChecks:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
