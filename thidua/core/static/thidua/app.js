// Small progressive enhancements: mobile menu, print buttons, file pickers, confirm dialogs, live report preview,
// upload and import progress.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".menu-toggle");
    var nav = document.getElementById("main-nav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    // The browser's own "fill out this field" bubbles speak its language: say it in Vietnamese.
    document.addEventListener("invalid", function (event) {
      var field = event.target, v = field.validity;
      if (!v || !field.setCustomValidity) { return; }
      field.setCustomValidity("");
      if (v.valueMissing) {
        field.setCustomValidity(field.type === "file" ? "Vui lòng chọn tệp." : (field.tagName === "SELECT" ? "Vui lòng chọn một mục trong danh sách." : "Vui lòng điền vào ô này."));
      } else if (v.tooShort) {
        field.setCustomValidity("Vui lòng nhập ít nhất " + field.minLength + " ký tự (hiện có " + field.value.length + ").");
      } else if (v.typeMismatch || v.patternMismatch || v.badInput || v.rangeUnderflow || v.rangeOverflow) {
        field.setCustomValidity("Giá trị chưa đúng, vui lòng kiểm tra lại.");
      }
    }, true);
    document.addEventListener("input", function (event) {
      if (event.target.setCustomValidity) { event.target.setCustomValidity(""); }
    }, true);
    // «Vuốt ngang …»: a phone's hint, shown too wherever its table is wider than the screen (a tablet).
    document.querySelectorAll("[data-scroll-hint]").forEach(function (hint) {
      var wrap = document.querySelector(hint.getAttribute("data-scroll-hint"));
      if (!wrap) { return; }
      var update = function () { hint.classList.toggle("shown", wrap.scrollWidth > wrap.clientWidth + 1); };
      update();
      window.addEventListener("resize", update);
    });
    // A "Sao chép" button copies the text of the field it names (shown only where the browser can).
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-copy"));
      if (!field || !navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(field.value).then(function () {
          button.textContent = "Đã sao chép";
          window.setTimeout(function () { button.textContent = "Sao chép"; }, 2000);
        }, function () { field.select(); });
      });
    });
    // File fields: the browser's own button says "Choose File" in an English browser. A Vietnamese
    // button and the chosen names replace it; the field stays the real input (keyboard, validation),
    // and a file dropped on the button is taken as chosen.
    document.querySelectorAll('input[type="file"][id]').forEach(function (input) {
      var pick = document.createElement("label"), chosen = document.createElement("span");
      pick.htmlFor = input.id; pick.className = "button file-pick";
      pick.textContent = input.multiple ? "Chọn các tệp…" : "Chọn tệp…";
      chosen.className = "file-chosen"; chosen.setAttribute("aria-live", "polite");
      var limit = parseInt(input.getAttribute("data-max-bytes") || "0", 10);
      var show = function () {
        var files = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
        // a file over the server's limit is named now, not after minutes of upload over a slow network
        var big = Array.prototype.filter.call(input.files || [], function (f) { return limit && f.size > limit; });
        chosen.textContent = files.length === 0 ? "Chưa chọn tệp" :
          (files.length === 1 ? files[0] : files.length + " tệp: " + files.join(", "));
        chosen.classList.toggle("penalty", big.length > 0);
        input.toggleAttribute("data-too-big", big.length > 0);
        if (big.length) {
          chosen.textContent = big.map(function (f) { return "Tệp «" + f.name + "»"; }).join(", ") + " lớn hơn " +
            input.getAttribute("data-max-text") + ", máy chủ không nhận: hãy chọn lại, bỏ tệp này hoặc thay bằng " +
            "tệp nhỏ hơn (ảnh: chụp lại ở độ phân giải thấp hơn).";
        }
      };
      if (input.form) {
        input.form.addEventListener("submit", function (event) {
          if (input.hasAttribute("data-too-big")) { event.preventDefault(); input.focus(); }
        });
      }
      input.classList.add("file-native");
      input.insertAdjacentElement("afterend", chosen);
      input.insertAdjacentElement("afterend", pick);
      input.addEventListener("change", show);
      pick.addEventListener("dragover", function (event) { event.preventDefault(); pick.classList.add("drop"); });
      pick.addEventListener("dragleave", function () { pick.classList.remove("drop"); });
      pick.addEventListener("drop", function (event) {
        event.preventDefault(); pick.classList.remove("drop");
        if (!event.dataTransfer || !event.dataTransfer.files.length) { return; }
        input.files = event.dataTransfer.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
      show();
    });
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
    // A form sent once (data-once): a second tap while a slow upload is on its way would send it again
    // (a second version of the report, its files twice). The button says it is sending; Back shows it ready.
    document.querySelectorAll("form[data-once]").forEach(function (once) {
      once.addEventListener("submit", function (event) {
        if (event.defaultPrevented) { return; }
        if (once.hasAttribute("data-sending")) { event.preventDefault(); return; }
        once.setAttribute("data-sending", "");
        var button = event.submitter || once.querySelector("button[type=submit]");
        if (button) {
          button.setAttribute("data-label", button.textContent);
          button.setAttribute("aria-disabled", "true");
          button.textContent = "Đang gửi…";
        }
      });
    });
    window.addEventListener("pageshow", function () {
      document.querySelectorAll("form[data-sending]").forEach(function (once) {
        once.removeAttribute("data-sending");
        once.querySelectorAll("button[data-label]").forEach(function (button) {
          button.textContent = button.getAttribute("data-label");
          button.removeAttribute("data-label"); button.removeAttribute("aria-disabled");
        });
      });
    });
    // Report form: ask the server what the figures would change on the scorecard.
    var form = document.querySelector("form[data-preview-url]");
    if (form) {
      var out = document.getElementById("preview");
      var timer = null, asked = 0;
      var refresh = function () {
        var data = new FormData(form), mine = ++asked;
        data.delete("evidence"); data.delete("plan_file");
        fetch(form.getAttribute("data-preview-url"), {method: "POST", body: data, credentials: "same-origin"})
          .then(function (r) { return r.ok ? r.text() : ""; })
          // over a slow network an earlier answer can come back last: only the latest figures' is shown
          .then(function (html) { if (html && out && mine === asked) { out.innerHTML = html; } })
          .catch(function () {});
      };
      form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 400); });
    }
    // Report form: what is typed stays in this browser until it is sent, so that a page closed, a session that
    // ended or a tap on «Quay lại» loses nothing; the form opened again offers it back. A draft belongs to its
    // user, unit, month and the version the form was opened on (data-draft): once a version is sent, the drafts
    // of the one before are dropped; signing out drops them all.
    var DRAFT = "thidua-draft:", store = null;
    try { store = window.localStorage; } catch (e) { store = null; }
    var draftForm = document.querySelector("form[data-draft]");
    if (draftForm && store) {
      var scope = draftForm.getAttribute("data-draft"), key = DRAFT + scope, month = scope.split("|").slice(0, 3).join("|");
      var fields = function () {
        return Array.prototype.filter.call(draftForm.elements, function (f) {
          return f.name && ["file", "hidden", "submit", "button"].indexOf(f.type) < 0;
        });
      };
      var values = function () {
        var v = {};
        fields().forEach(function (f) { v[f.name] = f.type === "checkbox" ? f.checked : f.value; });
        return JSON.stringify(v);
      };
      var opened = values(), saved = null;
      Object.keys(store).forEach(function (k) {
        if (k.indexOf(DRAFT) !== 0 || k === key) { return; }
        var old = null;
        try { old = JSON.parse(store.getItem(k)); } catch (e) { old = null; }
        // the same month's draft of an earlier version, or one a month old: the report has moved on
        if (!old || k.slice(DRAFT.length).split("|").slice(0, 3).join("|") === month || Date.now() - old.at > 2592e6) {
          store.removeItem(k);
        }
      });
      try { saved = JSON.parse(store.getItem(key)); } catch (e) { saved = null; }
      var notice = document.querySelector("[data-draft-notice]");
      if (saved && saved.values && saved.values !== opened && notice) {
        var at = new Date(saved.at), two = function (n) { return (n < 10 ? "0" : "") + n; };
        notice.querySelector("[data-draft-time]").textContent = two(at.getHours()) + ":" + two(at.getMinutes()) +
          " ngày " + two(at.getDate()) + "/" + two(at.getMonth() + 1) + "/" + at.getFullYear();
        notice.hidden = false;
        notice.querySelector("[data-draft-restore]").addEventListener("click", function () {
          var v = JSON.parse(saved.values);
          fields().forEach(function (f) {
            if (!(f.name in v)) { return; }
            if (f.type === "checkbox") { f.checked = !!v[f.name]; } else { f.value = v[f.name]; }
          });
          notice.hidden = true;
          draftForm.dispatchEvent(new Event("input", {bubbles: true}));  // the preview follows
          var first = fields()[0];
          if (first) { first.focus(); }
        });
        notice.querySelector("[data-draft-discard]").addEventListener("click", function () {
          store.removeItem(key); notice.hidden = true;
        });
      }
      var keep = function () {
        var now = values();
        try {
          if (now === opened) { store.removeItem(key); } else { store.setItem(key, JSON.stringify({at: Date.now(), values: now})); }
        } catch (e) { /* storage full or refused: the form still works */ }
      };
      draftForm.addEventListener("input", keep);
      draftForm.addEventListener("change", keep);
    }
    if (store) {
      document.querySelectorAll("form[data-sign-out]").forEach(function (out) {
        out.addEventListener("submit", function () {
          Object.keys(store).forEach(function (k) { if (k.indexOf(DRAFT) === 0) { store.removeItem(k); } });
        });
      });
    }
    // Large uploads: show progress while the file is sent.
    document.querySelectorAll("form[data-upload-progress]").forEach(function (upload) {
      upload.addEventListener("submit", function (event) {
        var bar = upload.querySelector("progress");
        if (!bar || !window.XMLHttpRequest) { return; }
        event.preventDefault();
        var xhr = new XMLHttpRequest();
        xhr.open("POST", upload.action || window.location.href);
        bar.hidden = false;
        xhr.upload.addEventListener("progress", function (e) {
          if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); }
        });
        xhr.addEventListener("load", function () {
          document.open(); document.write(xhr.responseText); document.close();
          if (xhr.responseURL) { window.history.replaceState(null, "", xhr.responseURL); }
        });
        xhr.send(new FormData(upload));
      });
    });
    // A confirmed portal import: poll its progress, then show the finished page.
    document.querySelectorAll("[data-import-job]").forEach(function (box) {
      var bar = box.querySelector("progress"), text = box.querySelector("[data-job-text]");
      var poll = function () {
        fetch(box.getAttribute("data-import-job"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
          .then(function (job) {
            if (job.state !== "running") { window.location.reload(); return; }
            if (job.percent !== null) { bar.value = job.percent; }
            text.textContent = job.text;
            setTimeout(poll, 1000);
          })
          .catch(function () { setTimeout(poll, 3000); });
      };
      setTimeout(poll, 500);
    });
  });
})();
