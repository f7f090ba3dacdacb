# A few-line OpenAI-compatible chat endpoint on uvicorn (the ASGI server behind vLLM, SGLang,
# LiteLLM): streams N content deltas and a usage chunk. uvicorn closes a keep-alive connection
# after --timeout-keep-alive seconds idle (default 5) and sends no Keep-Alive hint: the server
# side of the idle-close race (test/idle-connections.test.ts). Run:
#   python3 test/tools/uvicorn_chat.py PORT [KEEPALIVE_S]
import json, sys
import uvicorn

async def app(scope, receive, send):
    if scope['type'] != 'http':
        return
    body = b''
    while True:
        m = await receive()
        body += m.get('body', b'')
        if not m.get('more_body'):
            break
    req = json.loads(body or b'{}')
    n = int(req.get('max_tokens') or 5)
    await send({'type': 'http.response.start', 'status': 200, 'headers': [(b'content-type', b'text/event-stream')]})
    def ev(obj):
        return ('data: ' + json.dumps(obj) + '\n\n').encode()
    for i in range(n):
        await send({'type': 'http.response.body', 'body': ev({'id': 'u1', 'object': 'chat.completion.chunk', 'choices': [{'index': 0, 'delta': {'content': f'tok{i} '}, 'finish_reason': None}]}), 'more_body': True})
    await send({'type': 'http.response.body', 'body': ev({'id': 'u1', 'object': 'chat.completion.chunk', 'choices': [{'index': 0, 'delta': {}, 'finish_reason': 'stop'}]}), 'more_body': True})
    await send({'type': 'http.response.body', 'body': ev({'id': 'u1', 'object': 'chat.completion.chunk', 'choices': [], 'usage': {'prompt_tokens': 7, 'completion_tokens': n, 'total_tokens': 7 + n}}) + b'data: [DONE]\n\n', 'more_body': False})

if __name__ == '__main__':
    port = int(sys.argv[1])
    keep = float(sys.argv[2]) if len(sys.argv) > 2 else 5
    uvicorn.run(app, host='127.0.0.1', port=port, timeout_keep_alive=keep, log_level='warning', access_log=False)
