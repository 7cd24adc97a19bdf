#!/usr/bin/env python3
"""A TCP relay in front of Redis for one gateway of the budget benchmark (bench/budget.sh --cut-redis-of=N): the
benchmark kills it to cut that gateway alone off from Redis (its connections close, reconnecting is refused) while
Redis stays up for the others, and starts it again to let the gateway back.

    bench/redis-relay.py LISTEN_PORT REDIS_PORT
"""
import asyncio
import sys


async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def relay(client_reader, client_writer, redis_port):
    try:
        redis_reader, redis_writer = await asyncio.open_connection("127.0.0.1", redis_port)
    except OSError:
        client_writer.close()
        return
    await asyncio.gather(pipe(client_reader, redis_writer), pipe(redis_reader, client_writer))


async def main(listen_port, redis_port):
    server = await asyncio.start_server(
        lambda r, w: relay(r, w, redis_port), "127.0.0.1", listen_port, reuse_address=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
