//! The `auto` variants mode never touches Traditional text: the gold
//! paragraphs of the fixtures and of the evaluation sets next to the
//! repository, and clean Cantonese and Taiwanese Hokkien written here, come
//! back byte for byte under every profile; Simplified text still converts.

use std::path::Path;

use zh_clean::opencc::{Config, convert};
use zh_clean::variants::{Builtin, auto, detect_script};

const TARGETS: [Config; 3] = [Config::S2hk, Config::S2tw, Config::S2t];

/// Cantonese as Hong Kong writes it: `响` (at), `个`, `揾` are ordinary
/// characters here, not Simplified ones.
const CANTONESE: &[&str] = &[
    "我哋今日去咗銅鑼灣食嘢，啲嘢好好食。",
    "佢話聽日唔得閒，叫你自己嚟搵佢。",
    "你响邊度呀？我响屋企等緊你。",
    "佢个仔好叻，考試攞咗一百分。",
    "冇問題，我揾日請你飲茶。",
    "啱啱落完雨，出面啲路好濕，行路要小心啲。",
    "唔該晒，你真係幫咗我好多。",
    "嗰間茶餐廳嘅奶茶好出名，成日都要排隊。",
    "乜你咁早就返嚟嘅？",
    "我哋一齊去行山啦，唔好成日匿喺屋企。",
];

/// Taiwanese Hokkien in the Han characters of Taiwan's Ministry of
/// Education.
const HOKKIEN: &[&str] = &[
    "我今仔日欲去市場買菜。",
    "伊講伊明仔載袂當來。",
    "這間厝是阮阿公起的。",
    "你食飽未？我已經食飽矣。",
    "恁兜佇佗位？",
    "𪜶攏毋知影這件代誌。",
    "囡仔佇外口耍，較晏才會轉來。",
    "這本冊誠好看，你嘛會使借去看。",
    "伊逐工透早就去田裡做穡。",
    "毋通佇遮烏白講。",
];

fn assert_untouched(name: &str, paragraphs: &[String]) -> usize {
    let mut changed = Vec::new();
    for p in paragraphs {
        for target in TARGETS {
            let out = auto(p, target, &Builtin);
            if out != p.as_str() {
                changed.push(format!("{name} ({target}):\n  {p}\n  {out}"));
            }
        }
    }
    assert!(changed.is_empty(), "{} changed:\n{}", changed.len(), changed.join("\n"));
    paragraphs.len()
}

fn gold_lines(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect()
}

#[test]
fn cantonese_and_hokkien_are_untouched() {
    let own: Vec<String> = CANTONESE.iter().chain(HOKKIEN).map(|s| s.to_string()).collect();
    assert_untouched("own sentences", &own);
    // And as one document.
    assert_untouched("own sentences joined", &[own.concat()]);
}

#[test]
fn fixture_gold_is_untouched() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let n = assert_untouched("fixtures", &gold_lines(&dir.join("hkpc-ai-press-release.gold.txt")));
    assert!(n >= 5, "{n} paragraphs");
}

#[test]
fn evaluation_gold_is_untouched() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval");
    for set in ["dev", "dev3"] {
        let gold = root.join(set).join("gold");
        let Ok(entries) = std::fs::read_dir(&gold) else {
            eprintln!("skipped: {} not found", gold.display());
            return;
        };
        let mut n = 0;
        for entry in entries.flatten() {
            n += assert_untouched(&entry.path().display().to_string(), &gold_lines(&entry.path()));
        }
        eprintln!("{set}: {n} gold paragraphs untouched under {} profiles", TARGETS.len());
        assert!(n >= 100, "{set}: only {n} gold paragraphs");
    }
}

#[test]
fn leaked_characters_convert_alone() {
    let hk = |t: &str| auto(t, Config::S2hk, &Builtin).into_owned();
    // One Simplified character in a Traditional sentence: 說 and 裏 stay.
    assert_eq!(hk("他說這個发展很重要，裏面還有細節。"), "他說這個發展很重要，裏面還有細節。");
    // Neighbours give the leaked characters their phrase context.
    assert_eq!(hk("我們的頭发很長"), "我們的頭發很長");
    assert_eq!(hk("這是头发護理產品"), "這是頭髮護理產品");
    // Cantonese next to a leaked character keeps its own characters.
    assert_eq!(hk("你响邊度买嘢？"), "你响邊度買嘢？");
    assert_eq!(hk("我响屋企等紧你。"), "我响屋企等緊你。");
    assert_eq!(hk("佢个仔考试攞咗一百分。"), "佢个仔考試攞咗一百分。");
}

#[test]
fn simplified_sentences_convert_whole() {
    let hk = |t: &str| auto(t, Config::S2hk, &Builtin).into_owned();
    assert_eq!(hk("复合材料与头发"), "複合材料與頭髮");
    assert_eq!(hk("□ 简体"), "□ 簡體");
    assert_eq!(hk("这里说的是后来的事。"), "這裏説的是後來的事。");
}

/// How the `auto` thresholds fare: every sentence of the Traditional gold
/// turned Simplified by `t2s` is classified, and converting it back must
/// restore the characters `t2s` changed in nearly all sentences.
#[test]
fn simplified_gold_converts_back() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval");
    let (Ok(dev), Ok(dev3)) =
        (std::fs::read_dir(root.join("dev/gold")), std::fs::read_dir(root.join("dev3/gold")))
    else {
        eprintln!("skipped: {}/dev*/gold not found", root.display());
        return;
    };
    let (mut sentences, mut with_evidence, mut restored) = (0usize, 0usize, 0usize);
    for entry in dev.chain(dev3).flatten() {
        for line in gold_lines(&entry.path()) {
            for sentence in line.split_inclusive(['。', '！', '？']) {
                let simplified = convert(Config::T2s, sentence);
                if simplified == sentence {
                    continue;
                }
                sentences += 1;
                let r = detect_script(&simplified);
                with_evidence += usize::from(r.simplified_only >= zh_clean::variants::AUTO_MIN_SIMPLIFIED);
                restored += usize::from(
                    auto(&simplified, Config::S2t, &Builtin) == convert(Config::S2t, &simplified),
                );
            }
        }
    }
    eprintln!(
        "{sentences} Simplified sentences: {with_evidence} with enough evidence, {restored} converted whole"
    );
    assert!(sentences >= 1500, "{sentences} sentences");
    assert!(restored * 100 >= sentences * 95, "{restored}/{sentences}");
}
