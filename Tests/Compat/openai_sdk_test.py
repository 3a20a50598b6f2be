"""The official OpenAI Python SDK against a running gateway-server.

Usage: GATEWAY_URL=http://127.0.0.1:PORT GATEWAY_TOKEN=... python openai_sdk_test.py
Exits non-zero on the first failed check.
"""

import os
import sys

import openai


def check(condition, what):
    if not condition:
        print(f"FAIL: {what}", file=sys.stderr)
        sys.exit(1)
    print(f"ok: {what}")


def main():
    base_url = os.environ["GATEWAY_URL"].rstrip("/") + "/v1"
    token = os.environ["GATEWAY_TOKEN"]
    client = openai.OpenAI(base_url=base_url, api_key=token, max_retries=0)

    reply = client.chat.completions.create(
        model="demo", messages=[{"role": "user", "content": "Hello from the SDK"}]
    )
    check(reply.choices[0].message.content == "Hello from the SDK", "chat completion")
    check(reply.usage is not None and reply.usage.total_tokens > 0, "usage on a chat completion")

    raw = client.chat.completions.with_raw_response.create(
        model="demo", messages=[{"role": "user", "content": "headers"}]
    )
    check(raw.headers.get("x-gateway-endpoint") == "demo", "x-gateway-endpoint header")

    stream = client.chat.completions.create(
        model="demo",
        messages=[{"role": "user", "content": "one two three"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    text = ""
    usage = None
    for chunk in stream:
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
        if chunk.usage is not None:
            usage = chunk.usage
    check(text == "one two three", "streamed text")
    check(usage is not None and usage.completion_tokens > 0, "usage chunk when include_usage is set")

    models = [model.id for model in client.models.list()]
    check("demo" in models and "limited" in models, "models.list() names the endpoints")

    client.chat.completions.create(model="limited", messages=[{"role": "user", "content": "first"}])
    try:
        client.chat.completions.create(model="limited", messages=[{"role": "user", "content": "second"}])
        check(False, "a 429 raises openai.RateLimitError")
    except openai.RateLimitError as error:
        check(error.status_code == 429, "a 429 raises openai.RateLimitError")
        check(int(error.response.headers["retry-after"]) >= 1, "Retry-After on the 429")

    try:
        client.chat.completions.create(model="no-such-endpoint", messages=[{"role": "user", "content": "x"}])
        check(False, "a missing endpoint raises openai.NotFoundError")
    except openai.NotFoundError as error:
        check(error.status_code == 404, "a missing endpoint raises openai.NotFoundError")
        check("no-such-endpoint" in str(error), "the 404 names the endpoint")

    try:
        openai.OpenAI(base_url=base_url, api_key="wrong-token", max_retries=0).models.list()
        check(False, "a wrong token raises openai.AuthenticationError")
    except openai.AuthenticationError:
        check(True, "a wrong token raises openai.AuthenticationError")


if __name__ == "__main__":
    main()
