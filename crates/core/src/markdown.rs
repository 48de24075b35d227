//! How guide Markdown is read, shared by the parse stage and the site: the CommonMark
//! extensions in use, the Jekyll `{% highlight %}` rewrite, and byte offsets to lines.

use pulldown_cmark::Options;

/// Maps byte offsets to 1-based lines.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }
    /// How many lines `str::lines` gives for the indexed text of `len` bytes.
    pub fn count(&self, len: usize) -> usize {
        let n = self.starts.len();
        if self.starts.last() == Some(&len) {
            n - 1
        } else {
            n
        }
    }

    pub fn line(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

/// Rewrite Jekyll `{% highlight x %}` … `{% endhighlight %}` into fences, line for line.
pub fn preprocess(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("{%") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        let nl = if line.ends_with('\n') { "\n" } else { "" };
        if let Some(rest) = t.strip_prefix("{%").and_then(|r| r.strip_suffix("%}")) {
            let mut words = rest.split_whitespace();
            match words.next() {
                Some("highlight") => {
                    let lang = words.next().unwrap_or("");
                    out.push_str("~~~~");
                    out.push_str(lang);
                    out.push_str(nl);
                    continue;
                }
                Some("endhighlight") => {
                    out.push_str("~~~~");
                    out.push_str(nl);
                    continue;
                }
                _ => {}
            }
        }
        out.push_str(line);
    }
    std::borrow::Cow::Owned(out)
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}
