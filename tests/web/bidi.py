"""A small WebDriver BiDi client for headless Firefox (Debian's firefox-esr has the
protocol built in; Debian has no geckodriver): start the browser on a fresh profile,
open file:// pages, run scripts, send real pointer and key input, and record what the
page logged and which URLs it asked for.

Firefox refuses a WebSocket handshake that carries an Origin header, so none is sent.
"""
import json, queue, shutil, subprocess, tempfile, threading, time

import websocket


class BiDiError(Exception):
    pass


class Firefox:
    def __init__(self, width=1300, height=1200, timeout=60):
        self.profile = tempfile.mkdtemp(prefix="pprofx-firefox-")
        with open(f"{self.profile}/user.js", "w") as f:  # no first-run pages, updates or telemetry requests
            for pref, value in [("browser.shell.checkDefaultBrowser", "false"), ("app.update.disabledForTesting", "true"),
                                ("datareporting.policy.dataSubmissionEnabled", "false"),
                                ("toolkit.telemetry.reportingpolicy.firstRun", "false"),
                                ("browser.startup.homepage_override.mstone", '"ignore"')]:
                f.write(f'user_pref("{pref}", {value});\n')
        self.proc = subprocess.Popen(["firefox-esr", "--headless", "--remote-debugging-port=0", "--profile", self.profile,
                                      "--no-remote", "about:blank"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True)
        lines = queue.Queue()
        threading.Thread(target=lambda: [lines.put(l) for l in self.proc.stdout], daemon=True).start()
        deadline, url = time.time() + timeout, None
        while url is None:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.time()))
            except queue.Empty:
                self.quit()
                raise BiDiError("Firefox did not start its WebDriver BiDi server")
            if "WebDriver BiDi listening on " in line:
                url = line.split("listening on ", 1)[1].strip()
        self.ws = websocket.create_connection(url + "/session", suppress_origin=True, timeout=timeout)
        self.next_id, self.events = 0, []
        self.call("session.new", {"capabilities": {}})
        self.call("session.subscribe", {"events": ["log.entryAdded", "network.beforeRequestSent"]})
        self.context = self.call("browsingContext.getTree", {})["contexts"][0]["context"]
        self.call("browsingContext.setViewport", {"context": self.context, "viewport": {"width": width, "height": height}})

    def call(self, method, params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            m = json.loads(self.ws.recv())
            if m.get("id") == self.next_id:
                if m.get("type") == "error":
                    raise BiDiError(f"{method}: {m.get('error')}: {m.get('message')}")
                return m["result"]
            if "method" in m:
                self.events.append(m)

    def load(self, url, ready="document.body.dataset.ready === '1'", timeout=20):
        """Opens url (events cleared first) and waits until the page says it is ready."""
        self.call("browsingContext.navigate", {"context": self.context, "url": "about:blank", "wait": "complete"})
        self.events = []
        self.call("browsingContext.navigate", {"context": self.context, "url": url, "wait": "complete"})
        deadline = time.time() + timeout
        while not self.js(f"return {ready}"):
            if time.time() > deadline:
                raise BiDiError(f"{url}: not ready after {timeout} s")
            time.sleep(0.05)

    def js(self, body):
        """Runs a function body in the page; its return value comes back through JSON."""
        r = self.call("script.evaluate", {"expression": f"JSON.stringify((() => {{ {body} }})())",
                                          "target": {"context": self.context}, "awaitPromise": False})
        if r.get("type") == "exception":
            raise BiDiError(r["exceptionDetails"]["text"])
        value = r["result"].get("value")
        return None if value is None else json.loads(value)

    def element(self, css, index=0):
        r = self.call("script.evaluate", {"expression": f"document.querySelectorAll({json.dumps(css)})[{index}]",
                                          "target": {"context": self.context}, "awaitPromise": False})
        if r.get("type") == "exception" or r["result"].get("type") != "node":
            raise BiDiError(f"no element {css} [{index}]")
        return {"sharedId": r["result"]["sharedId"]}

    def click(self, css, index=0, button=0, x=0, y=0):
        """A real pointer click (button 2: a right click, so a contextmenu event) at (x, y) from the element's centre."""
        self.call("input.performActions", {"context": self.context, "actions": [{
            "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": [
                {"type": "pointerMove", "x": x, "y": y, "origin": {"type": "element", "element": self.element(css, index)}},
                {"type": "pointerDown", "button": button}, {"type": "pointerUp", "button": button}]}]})

    def keys(self, text):
        """Real key presses: each character, or a WebDriver key code such as \\ue00c (Escape)."""
        actions = []
        for c in text:
            actions += [{"type": "keyDown", "value": c}, {"type": "keyUp", "value": c}]
        self.call("input.performActions", {"context": self.context, "actions": [{"type": "key", "id": "keyboard",
                                                                                  "actions": actions}]})

    def errors(self):
        """Console errors and warnings, and uncaught exceptions, since the page was opened."""
        return [e["params"].get("text") for e in self.events
                if e["method"] == "log.entryAdded" and e["params"].get("level") in ("error", "warn")]

    def requests(self, own_prefix):
        """URLs asked for since the page was opened, but the page itself (own_prefix) and about:blank."""
        return [e["params"]["request"]["url"] for e in self.events if e["method"] == "network.beforeRequestSent" and
                not e["params"]["request"]["url"].startswith(own_prefix) and e["params"]["request"]["url"] != "about:blank"]

    def quit(self):
        try:
            if getattr(self, "ws", None):
                try:
                    self.call("session.end", {})
                except Exception:
                    pass
                self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            shutil.rmtree(self.profile, ignore_errors=True)
