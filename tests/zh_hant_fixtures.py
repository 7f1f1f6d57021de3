"""Texts in Traditional Chinese, and chrome in both scripts, written for taoyu's tests (no
third-party text): a Taiwan portal's article and the chrome around it, each chrome family given
once in Simplified and once as a Traditional page writes it."""

from __future__ import annotations

HANT_BOOKSHOP = [
    "台北市的一家獨立書店本月迎來開業十週年，店主在門口擺出一排舊書，邀請讀者免費取閱。",
    "店主說，十年前開店時只有兩個書架，如今藏書已經超過一萬冊，其中三成是絕版的舊書。",
    "為了讓更多年輕人走進書店，店裡每個週末都會舉辦讀書會，分享新書和作者的創作故事。",
    "不少老顧客表示，這家書店的位置雖然偏僻，但安靜的環境讓人願意在這裡待上一整個下午。",
    "記者走訪時看到，店裡的廣告看板都是手寫的，連轉角的指示牌也出自店主之手。",
    "店主希望書店能繼續經營下去，也計畫明年與附近的咖啡館合作，推出聯名的閱讀活動。",
]
# Short lines of prose that use the words chrome is made of: each must be kept.
HANT_SHORT_PROSE = [
    "記者走訪了台北市的幾家老書店。",
    "廣告業者表示，今年的景氣明顯回溫。",
    "你的位置決定了你看到的風景。",
    "著作權所有人可以依法請求賠償。",
    "字體設計是一門需要耐心的手藝。",
    "上一代人的閱讀習慣與今天大不相同。",
    "分享讓書店成為社區的客廳。",
    "編輯部今年出版了三本新書。",
    "轉載這篇文章的網友越來越多。",
    "政府將繼續支援交通建設，一次性交納的規費也會調降。",
]

# family → (the lines in Simplified, the lines in Traditional). A family of several lines is a
# list heading and its items, or a pair that comes together.
CHROME_FAMILIES: dict[str, tuple[list[str], list[str]]] = {
    "byline": (["责任编辑：王晓明"], ["責任編輯：王曉明"]),
    "editor": (["编辑：张蕾"], ["編輯：張蕾"]),
    "reporter": (["记者陈志远／北京报道"], ["記者陳志遠／台北報導"]),
    "reporter_in_brackets": (["（记者 林佳慧 综合报道）"], ["（記者林佳慧／綜合報導）"]),
    "copyright": (["版权所有 © 2026 示例新闻网"], ["版權所有 © 2026 示例新聞網"]),
    "copyright_owned": (["本网站著作权所有，转载必究"], ["本網站著作權所有，轉載必究"]),
    "reprint_notice": (["转载请注明出处"], ["轉載請註明出處"]),
    "reprint_terms": (
        ["凡本网注明“来源：示例新闻网”的作品，版权均属于示例新闻网，未经授权不得转载。"],
        ["凡本網註明「來源：示例新聞網」的作品，版權均屬於示例新聞網，未經授權不得轉載。"],
    ),
    "picture_prices": (
        ["图片转载价格：每张二百元，请与本网联系"],
        ["圖片轉載價格：每張二百元，請與本網聯繫"],
    ),
    "share_bar": (["分享到：微信 微博 QQ空间"], ["分享到：Facebook LINE 轉寄"]),
    "previous_next": (
        ["上一篇：城郊湿地公园迎来候鸟", "下一篇：夜市经济带动街区消费"],
        ["上一則：城郊濕地公園迎來候鳥", "下一則：夜市經濟帶動街區消費"],
    ),
    "related_news": (
        ["相关新闻", "• 城郊湿地公园迎来候鸟越冬", "• 夜市经济带动街区消费"],
        ["相關新聞", "• 城郊濕地公園迎來候鳥越冬", "• 夜市經濟帶動街區消費"],
    ),
    "further_reading": (
        ["延伸阅读", "• 老城区书店的第二个十年"],
        ["延伸閱讀", "• 老城區書店的第二個十年"],
    ),
    "hot_news": (["热门新闻", "• 台风过境后的渔港"], ["熱門新聞", "• 颱風過境後的漁港"]),
    "font_size": (["字号：大 中 小"], ["字級：小 中 大"]),
    "font_size_bracketed": (["【字体：大 中 小】"], ["【字體：大 中 小】"]),
    "font_size_full_width_brackets": (["（字号：大 中 小）"], ["（字級：小 中 大）"]),
    "print_close": (["打印本页 关闭窗口"], ["列印本頁 關閉視窗"]),
    "advert": (["广告"], ["廣告"]),
    "advert_latin": (["ADVERTISEMENT"], ["Advertisement"]),
    "breadcrumb": (["您当前位置：首页 > 新闻 > 正文"], ["您當前位置：首頁 > 新聞 > 正文"]),
    "breadcrumb_short": (["您的位置：首页 > 社会"], ["您的位置：首頁 > 社會"]),
    "app_prompt": (["打开APP，阅读全文"], ["打開APP，閱讀全文"]),
    "post_meta": (["发布时间：2026-01-05 09:30"], ["發佈時間：2026-01-05 09:30"]),
    "counter": (["浏览次数：1234"], ["點閱數：1234"]),
    "back_to_top": (["回到顶部"], ["回到頂部"]),
}
# Families whose lines are chrome one by one (a list's items are not: extraction tells them by
# their links), for the extractor's line rules.
_LISTS = ("related_news", "further_reading", "hot_news")
LINE_FAMILIES = {
    name: (hans[:1], hant[:1]) if name in _LISTS else (hans, hant)
    for name, (hans, hant) in CHROME_FAMILIES.items()
}
