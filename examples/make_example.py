"""Build examples/zh-web.warc.gz: a small crawl of Chinese pages written for this project.

Every text here was written for taoyu; nothing is copied from real sites. The pages imitate what
real crawls hold, so each pipeline step has visible work to do:

* news, forum, government, blog and Q&A pages wrapped in the chrome real sites have (navigation,
  share bars, "打开APP阅读全文", related-news lists, copyright footers, report hotlines);
* GBK/GB2312 pages, a UTF-8 page with a stale gb2312 meta tag, and a Big5 page;
* SEO spam: a gambling page with keyword-stuffed title and hidden ``<kbd>`` tags, and a genuine
  article with an injected porn-spam block and spliced unrelated sentences;
* duplicates: the same page crawled twice, a syndicated copy on another portal, and a mirror;
* near-empty pages (a 404, a login wall) that a length filter removes;
* publishers' opt-outs from AI training, one page per signal (TDMRep in a header, a meta tag and a
  site's tdmrep.json; ``noai`` in X-Robots-Tag and robots meta; Content-Usage; a robots.txt
  naming AI crawlers; a domain list), with the files in ``examples/optout/``;
* personal data: a phone number and a WeChat ID inside real pages (redacted), and a leaked
  member list of phone and ID numbers (dropped as a personal-data dump). All numbers are made up.

Run ``python examples/make_example.py`` to rebuild; the output is byte-for-byte reproducible.
"""

from __future__ import annotations

import html
from pathlib import Path

from taoyu.io.warc import warc_response_record

ARTICLES = {
    "metro": (
        "杭州地铁三条新线同日开通 城西居民通勤时间缩短近半",
        "2026-09-28",
        "本报记者 林晓",
        [
            "9月28日上午，杭州地铁12号线、15号线和18号线一期工程同步开通初期运营，全市地铁运营里程由此突破六百公里。",
            "新开通的三条线路主要覆盖城西科创大走廊和钱塘新区。以往从未来科技城到滨江上班需要换乘两次公交，单程约一个半小时，如今乘坐地铁只需五十分钟左右。",
            "杭州市地铁集团相关负责人介绍，开通初期三条线路的最小行车间隔为六分钟，早晚高峰将根据客流情况适时加密班次。各站均设置了无障碍电梯和母婴室，并支持刷码、刷卡和刷脸等多种进站方式。",
            "家住余杭区五常街道的王女士告诉记者：“以前早上七点不到就要出门，现在可以多睡半个小时，孩子上学也方便了。”",
            "据悉，杭州还有五条地铁线路正在建设中，预计到2028年全市将基本形成“一张网”的轨道交通格局。",
        ],
    ),
    "tea": (
        "龙井村茶农试水直播带货 秋茶销量同比增长三成",
        "2026-10-12",
        "通讯员 周明 记者 陈佳",
        [
            "十月的龙井村，秋茶采摘接近尾声。在村口一间改造过的老茶室里，返乡青年小俞正对着手机镜头，一边炒茶一边讲解“抖、带、挤、甩”等手法。",
            "“过去秋茶价格只有春茶的三分之一，很多农户干脆不采。”小俞说，通过直播把制茶过程展示出来，消费者更愿意为手工茶买单。今年以来，村里已有二十多户茶农开设了网店。",
            "西湖区农业农村局的数据显示，今年1至9月，龙井村茶叶线上销售额同比增长约31%，其中秋茶占比明显提高。",
            "为了避免“以次充好”，村里统一使用茶叶溯源标识，每一罐茶都能查到采摘地块、炒制人和检测报告。",
        ],
    ),
    "notice": (
        "关于做好2026年冬季城市道路除雪防冻工作的通知",
        "2026-11-03",
        "市城市管理局",
        [
            "各区城市管理部门、各相关单位：",
            "为切实做好今冬明春城市道路除雪防冻工作，保障道路安全畅通，现将有关事项通知如下。",
            "一、提高思想认识。各单位要充分认识做好除雪防冻工作的重要性，落实主体责任，明确责任人和联系人。",
            "二、做好物资储备。各区应于11月30日前完成融雪剂、防滑草垫、铲雪工具等物资的储备和检查，建立物资台账。",
            "三、加强值班值守。降雪期间实行24小时值班制度，发现道路结冰、树木倒伏等情况要及时处置并上报。",
            "四、强化信息报送。各单位应在每次降雪结束后24小时内，将除雪工作开展情况报送市城市管理局，联系电话：0571-85012345。",
            "特此通知。",
        ],
    ),
    "forum": (
        "第一次去西溪湿地，求推荐半日游路线",
        "2026-10-20",
        "",
        [
            "楼主：下周六想带父母去西溪湿地玩半天，老人腿脚不太方便，请问走哪个入口比较好？需要提前订船票吗？",
            "二楼：建议从周家村入口进，离停车场近。摇橹船周末人多，最好前一天在公众号上预约。",
            "三楼：可以先坐电瓶船到深潭口，再步行去河渚街，一路都是平路，老人走起来不累。河渚街有几家小吃店，中午可以在那里吃饭。",
            "楼主：谢谢各位！请问秋天去芦苇好看吗？",
            "四楼：十一月中下旬芦花最好，秋雪庵那边拍照很出片，记得带件外套，湿地里风大。想约伴的可以加我微信：hupan_walker88",
        ],
    ),
    "blog": (
        "用三年时间读完《宋史》之后的几点感想",
        "2026-08-15",
        "书斋夜话",
        [
            "三年前给自己定了一个目标：每天读十页《宋史》。中间断断续续，但总算在这个夏天翻完了最后一卷。",
            "最大的感受是，史书里的人物远比教科书里复杂。同一个人，在本纪、列传和志里的形象往往并不一致，需要互相参照才能看清全貌。",
            "其次是制度史比人物传记更有意思。读食货志和职官志时，才真正理解了宋代财政为何长期紧张，也明白了冗官冗费并不是一句空话。",
            "如果有朋友也想尝试，我的建议是先读列传中自己熟悉的人物，再回头读本纪和志，这样更容易坚持下去。",
        ],
    ),
    "qa": (
        "新手养猫需要准备哪些东西？",
        "2026-07-02",
        "",
        [
            "问：下个月准备从朋友那里领养一只三个月大的小猫，完全没有经验，想问一下需要提前准备什么？",
            "答：基础物品包括猫砂盆、猫砂、猫粮、食盆水盆、猫抓板和航空箱。猫粮建议先跟原主人要一点之前吃的，换粮要循序渐进，一周左右逐步过渡。",
            "另外，接回家后一周内不要洗澡，先让它熟悉环境。等状态稳定后去医院做一次体检，按时打疫苗和驱虫。",
            "最后提醒一句，家里的窗户最好装上防护网，很多猫咪走失和坠楼都是因为开窗。",
        ],
    ),
    "harvest": (
        "临安山核桃迎来丰收季 加工企业开足马力",
        "2026-09-10",
        "本报记者 吴桐",
        [
            "白露前后，临安区昌化镇的山核桃进入集中采收期。漫山遍野的核桃林里，村民们背着竹篓、拿着长竿忙着打核桃。",
            "今年当地雨水适中，山核桃挂果率较高，全区预计产量比去年增加一成以上。",
            "在镇上的一家炒货企业，十多条生产线正满负荷运转。企业负责人介绍，今年新上了自动去壳设备，加工效率提高了近一倍，产品主要销往长三角地区。",
            "为保护生态，当地推广生草栽培和有机肥替代化肥，减少水土流失，让山核桃产业走上可持续发展之路。",
        ],
    ),
}

OPTOUT_ARTICLES = {
    "library": (
        "城东图书馆延长夜间开放时间 自习座位扩容至六百个",
        "2026-10-08",
        "本报记者 许宁",
        [
            "从十月起，城东图书馆工作日的闭馆时间由晚上八点推迟到十点，周末全天开放，自习区座位也从三百多个增加到六百个。",
            "馆长介绍，去年以来夜间到馆的读者明显增多，其中不少是准备考试的年轻人和下班后来充电的上班族。为此，馆里重新布置了二楼和三楼的阅览空间，每个座位都配有台灯和充电插座。",
            "读者可以提前一天在线预约座位，到馆后扫码签到，离开超过一小时未签回的座位会自动释放。馆方表示，还将根据读者意见增加饮水点，并在一楼开设安静的亲子阅读角。",
        ],
    ),
    "garden": (
        "老小区屋顶变身共享菜园 邻居们在菜畦间熟络起来",
        "2026-09-19",
        "通讯员 钱程 记者 孙悦",
        [
            "在拱墅区一个建成三十多年的老小区，三栋居民楼的屋顶今年春天被改造成了共享菜园，划分出四十多块一平方米大小的菜畦。",
            "社区工作人员说，改造前屋顶堆满杂物，还经常漏水。改造时先做了防水层，再铺上轻质种植土，既隔热又美观。菜畦由居民报名认领，每季轮换一次。",
            "退休教师陈阿姨种了青菜、番茄和几株薄荷。她说，以前住了二十年都不认识对门邻居，现在大家每天傍晚在屋顶浇水聊天，谁家菜长得好还会分给别人尝尝。",
        ],
    ),
    "river": (
        "护河志愿队坚持巡河五年 小河重现鱼虾成群",
        "2026-08-27",
        "本报记者 方远",
        [
            "每周六清晨，一支由附近居民组成的护河志愿队都会沿着小河走上一圈，记录水色、气味和岸边垃圾，五年来从未间断。",
            "志愿队队长老郑说，刚开始巡河时，河面上常漂着塑料袋，雨后还能闻到异味。志愿者把发现的问题拍照上传，街道和环卫部门一般在两天内处理。",
            "如今，这条小河的水质已稳定在三类水以上，河里又能看到成群的小鱼和虾。队员们还在河边小学开设了护水课堂，带孩子们认识水生植物。",
        ],
    ),
    "canteen": (
        "社区老年食堂推出十元套餐 每天供应三百多份午餐",
        "2026-11-02",
        "记者 黄蕾",
        [
            "上城区一家社区老年食堂开业半年，每天中午供应三百多份午餐，六十岁以上老人凭卡可享受十元两荤一素的套餐。",
            "食堂负责人介绍，菜单每周更新一次，少油少盐，并为糖尿病和高血压老人准备了专门的低糖低盐窗口。行动不便的老人可以电话订餐，由志愿者送餐上门。",
            "七十八岁的刘大爷几乎每天都来吃午饭。他说，一个人在家做饭麻烦，来食堂既吃得好，还能和老朋友下下棋、聊聊天。",
        ],
    ),
    "bikeway": (
        "滨江绿道慢行系统全线贯通 骑行爱好者周末扎堆打卡",
        "2026-10-18",
        "本报记者 周航",
        [
            "全长约二十六公里的滨江绿道慢行系统日前全线贯通，沿线设置了十二处驿站，提供饮水、休息和简单的自行车维修服务。",
            "绿道采用人行道和自行车道分离的设计，自行车道铺设了红色透水沥青，夜间有低位照明，转弯处加装了反光标识。",
            "市园林部门提醒，绿道内禁止电动车通行，骑行时请控制车速，礼让行人。周末高峰时段，部分驿站还会安排志愿者引导秩序。",
        ],
    ),
    "museum": (
        "市博物馆推出宋代生活特展 三百余件文物讲述市井烟火",
        "2026-09-05",
        "记者 唐宁",
        [
            "市博物馆的宋代生活特展近日开幕，展出瓷器、漆器、书画和生活用具三百余件，其中近一半是首次公开亮相。",
            "展览按照饮食、茶事、游艺和市集四个单元布置，观众可以看到宋人使用的茶盏、香炉和孩童玩具，还能通过互动屏幕复原一条热闹的街市。",
            "策展人说，希望观众不只是看器物，而是透过这些日常物件，感受当时普通人的生活节奏。展览持续到明年三月，需提前预约参观。",
        ],
    ),
    "rainwater": (
        "校园雨水花园建成投用 学生们当起节水小研究员",
        "2026-06-14",
        "通讯员 吴桐",
        [
            "一所小学利用操场边的低洼地建起了雨水花园，下雨时屋顶和操场的雨水先流进花园，经过植物和砂石层过滤后再渗入地下或收集起来浇灌草坪。",
            "科学老师带着学生们在花园里安装了简易雨量计，每次降雨后记录积水深度和消退时间，并比较不同植物的耐水能力。",
            "学校后勤负责人说，雨水花园投用后，操场积水的情况明显减少，校园绿化用水也比往年节省了约两成。",
        ],
    ),
    "nightmarket": (
        "运河边夜市规范经营 摊位统一管理油烟噪音明显减少",
        "2026-07-22",
        "本报记者 邵琪",
        [
            "运河边的夜市经过两个月的整改重新开市，一百二十个摊位统一配备了油烟净化设备和带盖垃圾桶，营业时间调整为晚上六点到十一点。",
            "市场管理方介绍，摊主需要持健康证和食品经营备案上岗，每晚收市后由专人清洗地面。附近居民反映，油烟和噪音比以前少了很多。",
            "不少游客专程来品尝葱包桧、定胜糕等本地小吃。有摊主说，环境变好后回头客多了，生意比整改前还要好一些。",
        ],
    ),
    "firefight": (
        "乡镇微型消防站配齐装备 村民志愿者五分钟到场处置",
        "2026-12-01",
        "记者 林涛",
        [
            "入冬以来，山区乡镇的二十个微型消防站完成了装备更新，每个站点都配齐了灭火器、水枪、破拆工具和应急照明设备。",
            "这些站点的队员大多是本村村民，经过专业培训后轮流值守。接到报警后，他们能在五分钟内赶到现场，先行处置初起火灾，等待专业消防队伍到达。",
            "乡镇负责人表示，山区村庄距离城区消防站较远，微型消防站弥补了救援的空档。今年以来，队员们已成功处置了十多起小型火情。",
        ],
    ),
    "orchard": (
        "山区果园引入智能灌溉 柑橘产量提高用水却少了",
        "2026-11-15",
        "通讯员 郑露 记者 何川",
        [
            "在一处山区柑橘果园里，果树下铺设了滴灌管道，土壤中埋着湿度传感器，果农用手机就能查看每块地的墒情并远程开关阀门。",
            "果园负责人说，以前靠经验浇水，山坡上部常常缺水，下部又积水烂根。现在系统根据土壤湿度自动补水，今年柑橘产量提高了约一成半，用水量却减少了三成。",
            "当地农业技术推广站计划明年在更多果园推广这套设备，并组织果农参加使用培训。",
        ],
    ),
}
ARTICLES.update(OPTOUT_ARTICLES)

SPAM_BLOCK = [
    "澳门新葡京娱乐场官网注册送38元彩金，真人百家乐在线投注，日赚千元不是梦",
    "免费看成人视频，午夜福利影院，点击进入",
]
SPLICED = [
    "明天的天气适合晾晒被子，南方部分地区有小雨。",
    "该款手机支持一百二十瓦快充，续航表现出色。",
]

NEWS_CHROME_TOP = """<div class="nav"><a href="/">首页</a> | <a href="/news">新闻</a> | <a href="/finance">财经</a> | <a href="/sports">体育</a> | <a href="/app">下载客户端</a></div>
<div class="share-bar">分享到：<a>微信</a> <a>微博</a> <a>QQ空间</a></div>"""
NEWS_CHROME_BOTTOM = """<div class="app-prompt">打开APP，阅读全文</div>
<div class="tools"><span>分享成功</span> <span>举报</span> <span>点赞 128</span> <span>阅读 5450045</span></div>
<div class="related"><h3>相关新闻</h3><ul><li><a href="/a/1">杭州发布秋冬季旅游线路</a></li><li><a href="/a/2">钱塘江大潮观潮指南来了</a></li><li><a href="/a/3">本周末杭州天气晴好</a></li></ul></div>
<div class="hot"><h3>热点推荐</h3><ol><li>亚运场馆开放预约</li><li>城市大脑新功能上线</li></ol></div>
<div class="footer">版权所有 © 2026 钱塘新闻网 未经授权禁止转载<br>违法和不良信息举报电话：0571-00000000<br>浙ICP备00000000号</div>"""


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def news_page(key: str, site: str, charset_meta: str = "utf-8", extra_body: str = "") -> str:
    title, date, author, paras = ARTICLES[key]
    body = "\n".join(f"<p>{esc(p)}</p>" for p in paras)
    return f"""<!DOCTYPE html>
<html><head><meta charset="{charset_meta}"><title>{esc(title)}_{site}</title>
<script>var _hmt = _hmt || []; window.ads = ["banner"];</script><style>.nav{{color:red}}</style></head>
<body>{NEWS_CHROME_TOP}
<div class="article"><h1>{esc(title)}</h1><div class="info">{date} 来源：{esc(author)}</div>
{body}{extra_body}
</div>
{NEWS_CHROME_BOTTOM}
</body></html>"""


def portal_page(key: str) -> str:
    """An older portal layout, served as GB2312 with its typical bracketed tool links."""
    title, date, author, paras = ARTICLES[key]
    body = "<br>\n".join("　　" + esc(p) for p in paras)
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>{esc(title)}-江南在线</title></head>
<body><table><tr><td><a href="/">江南在线</a> &gt; <a href="/news">新闻中心</a> &gt; 正文</td></tr></table>
<div id="content"><h2>{esc(title)}</h2><p>{date}　{esc(author)}</p><div>{body}</div>
<p>（责任编辑：赵一）</p></div>
<p>【我来说两句】【打印】【关闭】</p>
<p>上一篇：西湖边新开一家书店　下一篇：城北体育公园完工</p>
<div>Copyright &copy; 江南在线 版权所有</div></body></html>"""


def gov_page(key: str) -> str:
    title, date, author, paras = ARTICLES[key]
    body = "\n".join(f"<p>{esc(p)}</p>" for p in paras)
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{esc(title)}</title></head>
<body><div class="location">当前位置：首页 &gt; 政务公开 &gt; 通知公告</div>
<div class="gov-article"><h1>{esc(title)}</h1><div class="meta">发布日期：{date}　信息来源：{esc(author)}　字号：【大 中 小】</div>
{body}<p style="text-align:right">{esc(author)}<br>{date}</p></div>
<div class="footer">主办单位：某市人民政府办公厅　网站标识码：0000000000　浙公网安备 00000000000000号</div></body></html>"""


def forum_page(key: str) -> str:
    title, date, _, posts = ARTICLES[key]
    rows = "\n".join(
        f'<div class="post"><div class="authi">用户{i + 1} 发表于 {date}</div><td class="t_f">{esc(p)}</td></div>'
        for i, p in enumerate(posts)
    )
    return f"""<html><head><meta charset="gbk"><title>{esc(title)} - 杭州生活 - 湖畔论坛</title></head>
<body><div id="hd">湖畔论坛 &raquo; 杭州生活 &raquo; 查看帖子</div><div id="postlist">{rows}</div>
<div class="pgs">回复 | 收藏 | 举报</div><div id="ft">Powered by Discuz! 手机版 | 小黑屋</div></body></html>"""


def blog_page(key: str, charset_meta: str) -> str:
    title, date, author, paras = ARTICLES[key]
    body = "\n".join(f"<p>{esc(p)}</p>" for p in paras)
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset_meta}"><title>{esc(title)} - {esc(author)}的博客</title></head>
<body><div class="blog-header">{esc(author)}的博客 | 首页 | 归档 | 关于</div><article><h1>{esc(title)}</h1><p>{esc(author)} {date}</p>{body}</article>
<div class="comments">评论（3） 发表评论 请先登录</div></body></html>"""


def qa_page(key: str) -> str:
    title, _, _, paras = ARTICLES[key]
    question, answers = paras[0], paras[1:]
    ans = "\n".join(
        f'<div class="answer"><p>{esc(a)}</p><span>赞同 42 · 评论 5</span></div>' for a in answers
    )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(title)} - 问答社区</title></head>
<body><header>问答社区 登录 注册</header><h1>{esc(title)}</h1><div class="question">{esc(question)}</div>
{ans}<div class="sidebar">相关问题：猫咪不吃饭怎么办？ 狗狗掉毛严重正常吗？</div></body></html>"""


def spam_page() -> str:
    kbd = "".join(f'<kbd date-time="{i:02d}x{i * 7 % 13}"></kbd>' for i in range(12))
    stuffed = "澳门赌场官网_澳门赌场官网下载_澳门赌场官网注册登录"
    lines = "\n".join(f"<p>{esc(s)}</p>" for s in SPAM_BLOCK * 4)
    return f"""<html><head><meta charset="utf-8"><title>{stuffed}</title></head>
<body>{kbd}<h1>{stuffed}</h1>{lines}<p>{esc(stuffed)}</p></body></html>"""


def injected_page() -> str:
    """A genuine article on a hacked site: a spam block and spliced sentences injected mid-page."""
    block = "".join(f"<p>{esc(s)}</p>" for s in SPAM_BLOCK + SPLICED)
    kbd = "".join(f'<kbd date-time="{i}"></kbd>' for i in range(5))
    return news_page("harvest", "山城日报", extra_body=kbd + block)


def big5_page() -> str:
    return """<html><head><meta charset="big5"><title>西湖秋景</title></head><body>
<p>秋天的西湖，湖面平靜，遠處的保俶塔在夕陽下格外醒目。</p>
<p>沿著白堤慢慢散步，兩旁的桂花正在盛開，空氣中滿是淡淡的香氣。不少遊客停下腳步拍照留念。</p>
<p>傍晚時分，斷橋上人來人往，湖邊的茶館裡坐滿了喝茶聊天的市民。</p>
<p>從斷橋往北山路走，沿湖有幾座民國時期的老建築，如今改成了小型展覽館，免費向遊客開放，展出西湖疏浚和沿岸村落的老照片。</p>
<p>天色暗下來以後，蘇堤上的路燈一盞盞亮起，湖面倒映著燈光。騎自行車環湖一圈大約需要一個半小時，沿途有多個租車點，可以隨借隨還。</p></body></html>"""


def not_found_page() -> str:
    return """<html><head><meta charset="utf-8"><title>404</title></head><body><div class="nav">首页 | 新闻</div>
<p>抱歉，您访问的页面不存在。</p></body></html>"""


def leaked_list_page() -> str:
    """A leaked member list: the kind of personal-data dump a corpus must not keep at all."""
    rows = []
    for i in range(24):
        body = f"3301061985{(i % 12) + 1:02d}{(i % 27) + 1:02d}{i:03d}"
        check = "10X98765432"[
            sum(
                int(d) * w
                for d, w in zip(body, (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2), strict=True)
            )
            % 11
        ]
        rows.append(
            f"<tr><td>会员{i + 1:02d}</td><td>1{3 + i % 6}9{i:04d}{(i * 7919) % 10000:04d}</td><td>{body}{check}</td></tr>"
        )
    return f"""<html><head><meta charset="utf-8"><title>会员名单</title></head><body><table>{"".join(rows)}</table></body></html>"""


def login_wall_page() -> str:
    return """<html><head><meta charset="utf-8"><title>登录</title></head><body>
<p>请登录后查看全文</p><p>打开APP，阅读全文</p></body></html>"""


def pages() -> list[tuple[str, str, bytes, str, list[tuple[str, str]]]]:
    """(url, date, body bytes, HTTP Content-Type, other response headers) in crawl order."""
    out: list[tuple[str, str, bytes, str, list[tuple[str, str]]]] = []

    def add(
        url: str,
        date: str,
        text: str,
        encoding: str = "utf-8",
        header_charset: str | None = "utf-8",
        headers: list[tuple[str, str]] | None = None,
    ) -> None:
        ctype = "text/html" + (f"; charset={header_charset}" if header_charset else "")
        out.append((url, date, text.encode(encoding), ctype, headers or []))

    add(
        "https://news.qiantang.example/2026/09/28/metro.html",
        "2026-09-28T08:00:00Z",
        news_page("metro", "钱塘新闻网"),
    )
    add(
        "https://news.qiantang.example/2026/10/12/tea.html",
        "2026-10-12T09:30:00Z",
        news_page("tea", "钱塘新闻网"),
    )
    add(
        "https://news.qiantang.example/2026/09/10/harvest.html",
        "2026-09-10T07:00:00Z",
        news_page("harvest", "钱塘新闻网"),
    )
    add(
        "http://www.jiangnan.example/news/metro.shtml",
        "2026-09-29T01:00:00Z",
        portal_page("metro"),
        "gbk",
        None,
    )
    add("http://www.jiangnan.example/news/tea.shtml", "2026-10-13T01:00:00Z", portal_page("tea"), "gbk", None)
    add("https://www.city.example/zwgk/tzgg/notice.html", "2026-11-03T02:00:00Z", gov_page("notice"))
    add(
        "http://bbs.hupan.example/thread-1001-1-1.html",
        "2026-10-21T12:00:00Z",
        forum_page("forum"),
        "gbk",
        "gbk",
    )
    add(
        "https://blog.shuzhai.example/songshi.html",
        "2026-08-16T10:00:00Z",
        blog_page("blog", "gb2312"),
        "utf-8",
        None,
    )
    add("https://ask.example/q/cat.html", "2026-07-03T10:00:00Z", qa_page("qa"))
    add("http://www.hk-travel.example/xihu.html", "2026-10-01T05:00:00Z", big5_page(), "big5", "big5")
    add("https://casino-888.example/index.html", "2026-10-02T05:00:00Z", spam_page())
    add("https://www.shancheng.example/2026/09/harvest.html", "2026-09-11T05:00:00Z", injected_page())
    add("https://news.qiantang.example/404.html", "2026-10-02T06:00:00Z", not_found_page())
    add("https://m.qiantang.example/login.html", "2026-10-02T06:00:01Z", login_wall_page())
    add("http://pastebin.example/raw/members.html", "2026-10-03T00:00:00Z", leaked_list_page())
    # Duplicates: the same pages crawled again later, and a mirror of the notice.
    add(
        "https://news.qiantang.example/2026/09/28/metro.html",
        "2026-10-05T08:00:00Z",
        news_page("metro", "钱塘新闻网"),
    )
    add("https://mirror.city.example/zwgk/tzgg/notice.html", "2026-11-04T02:00:00Z", gov_page("notice"))
    add(
        "http://bbs.hupan.example/thread-1001-1-1.html",
        "2026-10-25T12:00:00Z",
        forum_page("forum"),
        "gbk",
        "gbk",
    )
    add(
        "https://news.qiantang.example/2026/10/12/tea.html",
        "2026-10-20T09:30:00Z",
        news_page("tea", "钱塘新闻网"),
    )
    # Syndicated copies on other portals: the same article in different chrome (near duplicates).
    add(
        "https://www.xihu-daily.example/2026/0928/metro.html",
        "2026-09-28T11:00:00Z",
        news_page("metro", "西湖日报"),
    )
    add(
        "https://www.xihu-daily.example/2026/1012/tea.html",
        "2026-10-12T11:00:00Z",
        news_page("tea", "西湖日报"),
    )
    add(
        "https://www.xihu-daily.example/2026/0910/harvest.html",
        "2026-09-10T11:00:00Z",
        news_page("harvest", "西湖日报"),
    )
    add("https://ask.example/q/cat.html?from=share", "2026-07-05T10:00:00Z", qa_page("qa"))
    add_optout_pages(add)
    return out


def with_meta(page: str, tags: str) -> str:
    """The page with more ``<meta>`` tags in its head."""
    return page.replace("<head>", "<head>" + tags, 1)


def add_optout_pages(add) -> None:
    """Pages whose publishers opted out of AI training, one per kind of signal, and two whose
    signals, read by their precedence rules, leave them in (examples/optout/ holds the sites'
    robots.txt and tdmrep.json files and the domain list the recipe names)."""
    day = "2026-12-02T0{}:00:00Z"
    # W3C TDMRep in the HTTP response, and in the page's meta tags.
    add(
        "https://www.dongcheng-news.example/2026/1008/library.html",
        day.format(1),
        news_page("library", "东城新闻"),
        headers=[
            ("TDM-Reservation", "1"),
            ("TDM-Policy", "https://www.dongcheng-news.example/tdm-policy.json"),
        ],
    )
    add(
        "https://www.gongshu-life.example/garden.html",
        day.format(2),
        with_meta(news_page("garden", "拱墅生活"), '<meta name="tdm-reservation" content="1">'),
    )
    # A site's tdmrep.json reserves everything but /open/ (examples/optout/tdmrep/).
    add("https://www.hehu-daily.example/reports/river.html", day.format(3), news_page("river", "河湖日报"))
    add(
        "https://www.hehu-daily.example/open/rainwater.html",
        day.format(3),
        news_page("rainwater", "河湖日报"),
    )
    # noai in X-Robots-Tag and in the robots meta tag.
    add(
        "https://www.shangcheng-today.example/canteen.html",
        day.format(4),
        news_page("canteen", "上城今日"),
        headers=[("X-Robots-Tag", "noindex"), ("X-Robots-Tag", "noai, noimageai")],
    )
    add(
        "https://www.binjiang-green.example/bikeway.html",
        day.format(5),
        with_meta(news_page("bikeway", "滨江绿道网"), '<meta name="robots" content="noai, noimageai">'),
    )
    # IETF AI preferences: Content-Usage.
    add(
        "https://www.museum-city.example/exhibit/song.html",
        day.format(6),
        news_page("museum", "城市博物馆"),
        headers=[("Content-Usage", "train-ai=n, search=y")],
    )
    # robots.txt: the site shuts out AI training crawlers by name (examples/optout/robots/).
    add(
        "https://www.canal-market.example/nightmarket.html",
        day.format(7),
        news_page("nightmarket", "运河夜话"),
    )
    # A domain on the recipe's opt-out list (examples/optout/domains.txt).
    add("https://news.shanxiang.example/firefight.html", day.format(8), news_page("firefight", "山乡新闻"))
    # Precedence: the page's meta (0) overrides the header (1), so this page stays.
    add(
        "https://www.orchard-news.example/orchard.html",
        day.format(9),
        with_meta(news_page("orchard", "果园新闻"), '<meta name="tdm-reservation" content="0">'),
        headers=[("tdm-reservation", "1")],
    )


OPTOUT_FILES = {
    "robots/www.canal-market.example.txt": "User-agent: *\nDisallow: /admin/\n\nUser-agent: GPTBot\nUser-agent: CCBot\nDisallow: /\n",
    "robots/www.binjiang-green.example.txt": "User-agent: *\nAllow: /\n",
    "tdmrep/www.hehu-daily.example/.well-known/tdmrep.json": (
        '[\n  {"location": "/open/", "tdm-reservation": 0},\n'
        '  {"location": "/", "tdm-reservation": 1, "tdm-policy": "https://www.hehu-daily.example/policy.json"}\n]\n'
    ),
    "domains.txt": "# Publishers who asked us by letter to leave their sites out of AI training data\nshanxiang.example\n",
}


def main() -> None:
    target = Path(__file__).with_name("zh-web.warc.gz")
    records = [
        warc_response_record(url, body, date=date, content_type=ctype, headers=headers)
        for url, date, body, ctype, headers in pages()
    ]
    target.write_bytes(b"".join(records))
    print(f"wrote {target} ({len(records)} records, {target.stat().st_size:,} bytes)")
    for name, text in OPTOUT_FILES.items():
        path = Path(__file__).with_name("optout") / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
