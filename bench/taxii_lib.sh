# taxii_lib.sh — what the TAXII benchmarks share; sourced by bench_taxii.sh
# and bench_taxii_ab.sh (MT must be set: the TAXII media type).
#   free_port                  a free TCP port on 127.0.0.1
#   calc FORMAT EXPRESSION     awk arithmetic, printed with FORMAT
#   lat FILE                   "req/s p50 p99" of a wrk --latency output
#   post_envelopes URL AUTH ENV OUT
#                              POST ENV/env-*.json to the objects URL with two
#                              curl processes (one per server thread), each one
#                              kept-alive TLS connection posting half of them in
#                              turn; statuses in OUT; sets t0, t1 (epoch s) and
#                              ok (objects acknowledged complete)
#   lua_ones ENV COL OUT       a wrk script: a different object every request
#                              (5,000 ids taken across the envelopes of ENV)
#   lua_pages COL T0US SPANUS OUT
#                              a wrk script: a different page of 100 every
#                              request (next tokens spread over the ingest time)
#   nginx_conf DIR PORT CERT KEY
#                              DIR/nginx.conf: nginx serving DIR/www over TLS
#                              1.2/1.3 with CERT and KEY, like the hub

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
lat() {
	echo "$(awk '/^Requests\/sec/{print $2}' "$1") $(awk '$1=="50%"{print $2}' "$1") $(awk '$1=="99%"{print $2}' "$1")"
}

post_envelopes() {
	local url=$1 auth=$2 env=$3 out=$4 k=0 f c c0 c1
	mkdir -p "$out"
	rm -f "$out"/status-*
	: >"$out/post-0.cfg"; : >"$out/post-1.cfg"
	for f in "$env"/env-*.json; do
		c=$out/post-$((k % 2)).cfg; k=$((k + 1))
		[ -s "$c" ] && echo next >>"$c"
		printf 'insecure\nsilent\nurl = "%s/"\nheader = "%s"\nheader = "Accept: %s"\nheader = "Content-Type: %s"\ndata-binary = "@%s"\noutput = "%s/status-%d"\n' \
			"$url" "$auth" "$MT" "$MT" "$f" "$out" "$k" >>"$c"
	done
	t0=$(date +%s.%N)
	curl -sk --config "$out/post-0.cfg" & c0=$!
	curl -sk --config "$out/post-1.cfg" & c1=$!
	wait $c0 $c1
	t1=$(date +%s.%N)
	ok=$(cat "$out"/status-* | jq -s '[.[]|select(.status=="complete")|.success_count]|add')
}

lua_ones() {
	/usr/bin/python3 - "$2" "$1" >"$3" <<'EOF'
import glob, json, sys
col, env = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(env + "/env-*.json"))
ids = []
for f in files[::max(1, len(files) // 50)]:
    ids += [o["id"] for o in json.load(open(f))["objects"][:100]]
print("local ids = {%s}" % ",".join('"%s"' % i for i in ids[:5000]))
print("""local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api1/collections/%s/objects/" .. ids[(i %% #ids) + 1] .. "/")
end""" % col)
EOF
}

lua_pages() {
	/usr/bin/python3 - "$1" "$2" "$3" >"$4" <<'EOF'
import random, sys
col, t0, span = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(11)
print("local next = {%s}" % ",".join('"%d"' % (t0 + random.randrange(span)) for _ in range(5000)))
print("""local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api1/collections/%s/objects/?limit=100&next=" .. next[(i %% #next) + 1])
end""" % col)
EOF
}

nginx_conf() {
	local d=$1
	mkdir -p "$d/www" "$d/tmp"
	cat >"$d/nginx.conf" <<EOF
worker_processes 2;
pid $d/nginx.pid;
error_log $d/error.log;
daemon off;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $d/tmp; proxy_temp_path $d/tmp;
    fastcgi_temp_path $d/tmp; uwsgi_temp_path $d/tmp; scgi_temp_path $d/tmp;
    types { }
    default_type application/taxii+json;
    server {
        listen 127.0.0.1:$2 ssl;
        ssl_certificate $3;
        ssl_certificate_key $4;
        ssl_protocols TLSv1.2 TLSv1.3;
        keepalive_requests 1000000;
        root $d/www;
    }
}
EOF
}
